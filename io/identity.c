/* identity.c — FNV-1a 64 content hashes, the identity (path, run id, hash) of a file judged from, and
 * the list of files the checks read while they judge (nlif_identity.h). */
#include "nlif_identity.h"

#include "nlif_resultfmt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

uint64_t nlif_fnv1a64(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= NLIF_FNV1A64_PRIME;
    }
    return h;
}

void nlif_hash_text(uint64_t h, char out[NLIF_HASH_TEXT])
{
    snprintf(out, NLIF_HASH_TEXT, "fnv1a64:%016" PRIx64, h);
}

int nlif_file_hash(const char *path, char out[NLIF_HASH_TEXT], nlif_error *err)
{
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return nlif_fail(err, NLIF_EIO, "%s: cannot be read: %s", path, strerror(errno));
    uint64_t h = NLIF_FNV1A64_OFFSET;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = nlif_fnv1a64(h, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return nlif_fail(err, NLIF_EIO, "%s: read error", path);
    nlif_hash_text(h, out);
    return NLIF_OK;
}

void nlif_identity_of(const char *path, nlif_identity *id)
{
    memset(id, 0, sizeof *id);
    snprintf(id->path, sizeof id->path, "%s", path);
    nlif_error e = {0};
    if (nlif_file_hash(path, id->hash, &e))
        return;
    /* not a result file (a log, a refused file): no run id, the hash still identifies it */
    if (nlif_rf_run_id(path, id->run_id, sizeof id->run_id, &e))
        id->run_id[0] = '\0';
}

json_t *nlif_identity_json(const nlif_identity *id)
{
    return json_pack("{s:s, s:o, s:o}", "path", id->path, "run_id", id->run_id[0] ? json_string(id->run_id) : json_null(),
                     "hash", id->hash[0] ? json_string(id->hash) : json_null());
}

int nlif_identity_check(const char *on_disk, const char *recorded_path, const char *run_id, const char *hash, char *why,
                        size_t len)
{
    nlif_identity now;
    nlif_identity_of(on_disk, &now);
    const char *name = recorded_path ? recorded_path : on_disk;
    if (!hash || !*hash) {
        if (!now.hash[0])
            return 0; /* recorded missing, still missing */
        snprintf(why, len, "%s: missing when judged, present now", name);
        return 1;
    }
    if (!now.hash[0]) {
        snprintf(why, len, "%s: missing (judged with %s%s%s)", name, hash, run_id && *run_id ? ", run id " : "",
                 run_id && *run_id ? run_id : "");
        return 1;
    }
    if (run_id && *run_id && strcmp(run_id, now.run_id)) {
        snprintf(why, len, "%s: run id %s, judged from run id %s (another run wrote it since)", name,
                 now.run_id[0] ? now.run_id : "(none)", run_id);
        return 1;
    }
    if (strcmp(hash, now.hash)) {
        snprintf(why, len, "%s: content changed since it was judged (hash %s, judged %s)", name, now.hash, hash);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------ */

static nlif_identity judged[NLIF_JUDGED_MAX];
static int n_judged, judged_lost;

void nlif_judged_note(const char *path)
{
    for (int i = 0; i < n_judged; i++)
        if (!strcmp(judged[i].path, path))
            return;
    if (n_judged == NLIF_JUDGED_MAX) {
        judged_lost = 1;
        return;
    }
    nlif_identity_of(path, &judged[n_judged++]);
}

int nlif_judged_mark(void)
{
    return n_judged;
}

void nlif_judged_truncate(int mark)
{
    if (mark >= 0 && mark < n_judged)
        n_judged = mark;
    if (mark == 0)
        judged_lost = 0;
}

const nlif_identity *nlif_judged_get(int i)
{
    return i >= 0 && i < n_judged ? &judged[i] : NULL;
}

int nlif_judged_overflow(void)
{
    return judged_lost;
}
