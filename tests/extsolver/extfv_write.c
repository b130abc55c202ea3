/* extfv_write.c — the record of one extfv run and the result set it writes (RESULTS.md, version 1):
 * STEM.series.csv, STEM.snapshots.csv and the summary STEM.json, one run id in all three, each
 * written under a temporary name beside its final one and renamed into place, the summary last. */
#include "extfv.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int xf_record_row(xf_record *rec, double t, double rate, double fired, double mass, double minp, double R)
{
    if (rec->n_rows == rec->cap_rows) {
        long cap = rec->cap_rows ? 2 * rec->cap_rows : 1024;
        double *mem = malloc(6 * (size_t)cap * sizeof(double));
        if (!mem)
            return -1;
        double **col[] = {&rec->t, &rec->rate, &rec->fired, &rec->mass, &rec->minp, &rec->refr};
        for (int k = 0; k < 6; k++) {
            if (rec->n_rows)
                memcpy(mem + (size_t)k * cap, *col[k], (size_t)rec->n_rows * sizeof(double));
            *col[k] = mem + (size_t)k * cap;
        }
        free(rec->cap_rows ? rec->mem_rows : NULL);
        rec->mem_rows = mem;
        rec->cap_rows = cap;
    }
    long i = rec->n_rows++;
    rec->t[i] = t;
    rec->rate[i] = rate;
    rec->fired[i] = fired;
    rec->mass[i] = mass;
    rec->minp[i] = minp;
    rec->refr[i] = R;
    return 0;
}

int xf_record_snapshot(xf_record *rec, int nv, double t, const double *p)
{
    if (rec->n_snap_out > XF_MAX_SNAPS)
        return -1;
    double *copy = malloc((size_t)nv * sizeof(double));
    if (!copy)
        return -1;
    memcpy(copy, p, (size_t)nv * sizeof(double));
    rec->snap_t[rec->n_snap_out] = t;
    rec->snap_p[rec->n_snap_out++] = copy;
    return 0;
}

void xf_record_free(xf_record *rec)
{
    free(rec->mem_rows);
    for (int k = 0; k < rec->n_snap_out; k++)
        free(rec->snap_p[k]);
}

double xf_final_rate(const xf_record *rec)
{
    long n = rec->n_rows;
    double t_start = 0.9 * rec->t[n - 1], area = 0.0, span = 0.0;
    for (long i = 1; i < n; i++) {
        double ta = rec->t[i - 1], tb = rec->t[i];
        if (tb <= t_start || tb <= ta)
            continue;
        double a = fmax(ta, t_start);
        /* the trapezoid of N on [a, tb], N linear between the samples */
        double na = rec->rate[i - 1] + (rec->rate[i] - rec->rate[i - 1]) * (a - ta) / (tb - ta);
        area += 0.5 * (na + rec->rate[i]) * (tb - a);
        span += tb - a;
    }
    return span > 0 ? area / span : rec->rate[n - 1];
}

static void make_run_id(char *id, size_t size)
{
    unsigned char r[8] = {0};
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, r, sizeof r) != (ssize_t)sizeof r) {
        unsigned long long x = (unsigned long long)time(NULL) * 6364136223846793005ULL ^ (unsigned long long)getpid();
        memcpy(r, &x, sizeof r);
    }
    if (fd >= 0)
        close(fd);
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", gmtime(&now));
    snprintf(id, size, "%s-%d-%02x%02x%02x%02x%02x%02x%02x%02x", when, (int)getpid(), r[0], r[1], r[2], r[3],
             r[4], r[5], r[6], r[7]);
}

/* FINAL and its temporary name. */
typedef struct {
    char final[4096], temp[4200];
} xf_file;

static FILE *open_temp(xf_file *f, const xf_problem *pb, const char *suffix, int k)
{
    snprintf(f->final, sizeof f->final, "%s/%s%s", pb->out_dir, pb->stem, suffix);
    snprintf(f->temp, sizeof f->temp, "%s.tmp-%d-%d", f->final, (int)getpid(), k);
    FILE *fp = fopen(f->temp, "w");
    if (!fp)
        perror(f->temp);
    return fp;
}

static int close_temp(FILE *fp, const xf_file *f)
{
    if (ferror(fp) | fclose(fp)) {
        fprintf(stderr, "%s: write failed\n", f->temp);
        return -1;
    }
    return 0;
}

static void header(FILE *fp, const xf_problem *pb, const char *run_id, const char *reconstructs)
{
    fprintf(fp, "# format: nlif-results 1\n# run_id: %s\n# case: %s\n# scheme: %s\n# reconstructs: %s\n", run_id,
            pb->case_name, pb->scheme, reconstructs);
    fprintf(fp, "# resolution: dv = %.17g, dt = %.17g\n# defect: %s\n", pb->dv, pb->dt, xf_defect_names[pb->defect]);
}

static int write_series(const xf_problem *pb, const xf_record *rec, const char *id, const char *rc, xf_file *f)
{
    FILE *fp = open_temp(f, pb, ".series.csv", 0);
    if (!fp)
        return -1;
    header(fp, pb, id, rc);
    int with_r = pb->tau_ref > 0; /* the column R, last (RESULTS.md) */
    fputs(with_r ? "t,rate,fired,mass,min_density,R\n" : "t,rate,fired,mass,min_density\n", fp);
    for (long i = 0; i < rec->n_rows; i++) {
        fprintf(fp, "%.17g,%.17g,%.17g,%.17g,%.17g", rec->t[i], rec->rate[i], rec->fired[i], rec->mass[i], rec->minp[i]);
        if (with_r)
            fprintf(fp, ",%.17g", rec->refr[i]);
        fputc('\n', fp);
    }
    return close_temp(fp, f);
}

static int write_snapshots(const xf_problem *pb, const xf_record *rec, const char *id, const char *rc, xf_file *f)
{
    FILE *fp = open_temp(f, pb, ".snapshots.csv", 1);
    if (!fp)
        return -1;
    header(fp, pb, id, rc);
    fputs("kind,t,x,density\n", fp);
    for (int k = 0; k < rec->n_snap_out; k++)
        for (int i = 0; i < pb->nv; i++)
            fprintf(fp, "v,%.17g,%.17g,%.17g\n", rec->snap_t[k], pb->nodes[i], rec->snap_p[k][i]);
    return close_temp(fp, f);
}

static json_t *summary(const xf_problem *pb, const xf_record *rec, const char *id, const char *title,
                       const char *reconstructs)
{
    json_t *j = json_object();
    json_object_set_new(j, "format", json_string("nlif-results"));
    json_object_set_new(j, "format_version", json_integer(1));
    json_object_set_new(j, "run_id", json_string(id));
    json_object_set_new(j, "case", json_string(pb->case_name));
    json_object_set_new(j, "scheme", json_string(pb->scheme));
    json_object_set_new(j, "scheme_title", json_string(title));
    json_object_set_new(j, "reconstructs", json_string(reconstructs));
    json_object_set_new(j, "status", json_string(rec->status));
    json_object_set_new(j, "t_final", json_real(pb->t_final));
    json_object_set_new(j, "t_end", json_real(rec->t_end));
    if (strcmp(rec->status, "ok")) {
        json_object_set_new(j, "stop_time", json_real(rec->stop_time));
        json_object_set_new(j, "cause", json_string(rec->cause ? rec->cause : "stopped"));
        if (!strcmp(rec->status, "blowup"))
            json_object_set_new(j, "blowup_time", json_real(rec->stop_time));
    }
    json_object_set_new(j, "grid", json_pack("{s:i, s:i}", "nv", pb->nv, "nw", 0));
    json_object_set_new(j, "mass_drift", json_real(rec->mass_drift));
    json_object_set_new(j, "min_density", json_real(rec->min_density));
    json_object_set_new(j, "max_density", json_real(rec->max_density));
    json_object_set_new(j, "final_rate", json_real(rec->final_rate));
    json_object_set_new(j, "steps", json_integer(rec->steps));
    json_object_set_new(j, "cpu_seconds", json_real(rec->cpu_seconds));
    json_t *opt = json_object_get(pb->doc, "options");
    json_object_set_new(j, "options", opt ? json_deep_copy(opt) : json_object());
    json_object_set_new(j, "resolution", json_pack("{s:f, s:f, s:n}", "dv", pb->dv, "dt", pb->dt, "dw"));
    json_object_set_new(j, "seed", json_null());
    json_object_set_new(j, "mfe", json_array());
    json_object_set_new(j, "provenance", json_pack("{s:s, s:s, s:s}", "program", "tests/extsolver/extfv", "version",
                                                   "1", "jansson", JANSSON_VERSION));
    return j;
}

int xf_write(const xf_problem *pb, const xf_record *rec, const char *title, const char *reconstructs)
{
    char id[64];
    make_run_id(id, sizeof id);
    xf_file f[3] = {{{0}, {0}}, {{0}, {0}}, {{0}, {0}}};
    int rc = write_series(pb, rec, id, reconstructs, &f[0]);
    if (!rc)
        rc = write_snapshots(pb, rec, id, reconstructs, &f[1]);
    if (!rc) {
        json_t *j = summary(pb, rec, id, title, reconstructs);
        FILE *fp = open_temp(&f[2], pb, ".json", 2);
        rc = !j || !fp ? -1 : json_dumpf(j, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        if (fp && (fputc('\n', fp), close_temp(fp, &f[2])))
            rc = -1;
        json_decref(j);
    }
    for (int k = 0; k < 3; k++) { /* into place, the summary last; or nothing left behind */
        if (rc) {
            if (f[k].temp[0])
                unlink(f[k].temp);
        }
        else if (rename(f[k].temp, f[k].final)) {
            perror(f[k].final);
            rc = -1;
        }
    }
    return rc;
}
