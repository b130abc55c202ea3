/* nlif_identity.h — the identity of a file a verdict was judged from, and of the plan of a verify.
 *
 * An identity is the file's path, the run id it carries (RESULTS.md; "" for a file that is not a
 * result file) and a content hash: FNV-1a 64 (Fowler–Noll–Vo, variant 1a, 64 bits: offset basis
 * 0xcbf29ce484222325, prime 0x100000001b3) over every byte of the file, written "fnv1a64:" and 16
 * lower-case hex digits. FNV-1a is not a cryptographic hash: it tells a changed or exchanged file
 * from the one judged, not a forgery from an accident.
 *
 * `nlif verify` records the identity of every result file it judged from (verdicts.json, "inputs")
 * and, per cell, which of them the cell was judged from; `nlif report` checks them before it shows a
 * verdict. The judged-from list is collected while the checks read (nlif_judged_note, called by the
 * loaders of harness/judge/verify_data.c): verify judges in one thread, one check at a time.
 */
#ifndef NLIF_IDENTITY_H
#define NLIF_IDENTITY_H

#include "../core/nlif_error.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define NLIF_FNV1A64_OFFSET 0xcbf29ce484222325ULL
#define NLIF_FNV1A64_PRIME 0x100000001b3ULL
#define NLIF_HASH_TEXT 25 /* "fnv1a64:" + 16 hex digits + NUL */

/* Continue the FNV-1a 64 hash h (start with NLIF_FNV1A64_OFFSET) over n bytes. */
uint64_t nlif_fnv1a64(uint64_t h, const void *data, size_t n);
/* "fnv1a64:%016x" of h. */
void nlif_hash_text(uint64_t h, char out[NLIF_HASH_TEXT]);
/* The hash of a file's bytes as text; NLIF_EIO (message names the file) when it cannot be read. */
int nlif_file_hash(const char *path, char out[NLIF_HASH_TEXT], nlif_error *err);

typedef struct nlif_identity {
    char path[1024];
    char run_id[64];          /* "" when the file carries none */
    char hash[NLIF_HASH_TEXT]; /* "" when the file is missing */
} nlif_identity;

/* The identity of PATH now: hash and run id (read by the one reader of the result format); a missing
 * file gives hash "" (not an error). */
void nlif_identity_of(const char *path, nlif_identity *id);
/* {"path", "run_id", "hash"} (run_id and hash null when empty). */
json_t *nlif_identity_json(const nlif_identity *id);
/* Compare a recorded identity (path, run id, hash as recorded; run_id may be NULL) with the file at
 * ON_DISK now. 0 when the same; else 1 with what differs in why: the file is missing, carries
 * another run id, or its content changed (both hashes). */
int nlif_identity_check(const char *on_disk, const char *recorded_path, const char *run_id, const char *hash,
                        char *why, size_t len);

/* ---- what the checks read while judging (verify) ---- */

#define NLIF_JUDGED_MAX 256
/* Note that PATH is read to judge (its identity is taken now; a path noted twice counts once). */
void nlif_judged_note(const char *path);
/* The number of files noted; forget those after the first MARK. */
int nlif_judged_mark(void);
void nlif_judged_truncate(int mark);
const nlif_identity *nlif_judged_get(int i);
/* 1 when more than NLIF_JUDGED_MAX files were noted since the last truncate to 0 (the rest are lost). */
int nlif_judged_overflow(void);

#endif
