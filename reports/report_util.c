/* report_util.c — small tools of the report generator: a growing string, escaping for HTML,
 * Markdown, LaTeX and gnuplot string literals, base64 (RFC 4648), PNG header reading, numeric CSV
 * tables, and running gnuplot by fork/exec (no shell: case names never reach a command line).
 */
#include "report_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../io/nlif_results.h"

void rp_sb_addn(rp_sb *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void rp_sb_add(rp_sb *b, const char *s) { rp_sb_addn(b, s, strlen(s)); }

void rp_sb_printf(rp_sb *b, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if ((size_t)k < sizeof small) {
        rp_sb_addn(b, small, (size_t)k);
        return;
    }
    char *big = malloc((size_t)k + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)k + 1, fmt, ap);
    va_end(ap);
    rp_sb_addn(b, big, (size_t)k);
    free(big);
}

void rp_sb_free(rp_sb *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void rp_html_esc(rp_sb *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': rp_sb_add(b, "&amp;"); break;
        case '<': rp_sb_add(b, "&lt;"); break;
        case '>': rp_sb_add(b, "&gt;"); break;
        case '"': rp_sb_add(b, "&quot;"); break;
        case '\'': rp_sb_add(b, "&#39;"); break;
        default: rp_sb_addn(b, s, 1);
        }
    }
}

void rp_md_esc(rp_sb *b, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]|<>#", *s))
            rp_sb_addn(b, "\\", 1);
        if (*s == '\n')
            rp_sb_add(b, " ");
        else
            rp_sb_addn(b, s, 1);
    }
}

void rp_tex_esc(rp_sb *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': rp_sb_add(b, "\\textbackslash{}"); break;
        case '~': rp_sb_add(b, "\\textasciitilde{}"); break;
        case '^': rp_sb_add(b, "\\textasciicircum{}"); break;
        case '&': case '%': case '$': case '#': case '_': case '{': case '}':
            rp_sb_addn(b, "\\", 1);
            rp_sb_addn(b, s, 1);
            break;
        default: rp_sb_addn(b, s, 1);
        }
    }
}

/* gnuplot: inside '...' nothing is special except the quote, written twice. Newlines would end the
 * command: replace them. */
void rp_gp_quote(rp_sb *b, const char *s)
{
    rp_sb_add(b, "'");
    for (; s && *s; s++) {
        if (*s == '\'')
            rp_sb_add(b, "''");
        else if (*s == '\n' || *s == '\r')
            rp_sb_add(b, " ");
        else
            rp_sb_addn(b, s, 1);
    }
    rp_sb_add(b, "'");
}

void rp_base64(rp_sb *b, const unsigned char *d, size_t n)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        q[0] = al[(v >> 18) & 63];
        q[1] = al[(v >> 12) & 63];
        q[2] = i + 1 < n ? al[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? al[v & 63] : '=';
        rp_sb_addn(b, q, 4);
    }
}

void rp_safe_name(char *out, size_t len, const char *s)
{
    size_t k = 0;
    for (; s && *s && k + 1 < len; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                 c == '.';
        out[k++] = ok ? c : '_';
    }
    out[k] = '\0';
}

const char *rp_num(char *buf, size_t len, double x, int digits)
{
    if (!isfinite(x))
        snprintf(buf, len, "–");
    else
        snprintf(buf, len, "%.*g", digits, x);
    return buf;
}

int rp_read_file(const char *path, unsigned char **data, size_t *n)
{
    *data = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 65536, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (len < cap)
            break;
        unsigned char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *n = len;
    return 0;
}

int rp_write_text(const char *path, const char *text, size_t n, nlif_error *err)
{
    char tmp[RP_PATH + 64];
    FILE *f = nlif_atomic_open(path, tmp, sizeof tmp, err);
    if (!f)
        return err ? err->code : NLIF_EIO;
    if (n && fwrite(text, 1, n, f) != n) {
        nlif_atomic_abort(f, tmp);
        return nlif_fail(err, NLIF_EIO, "%s: write failed", path);
    }
    return nlif_atomic_close(f, tmp, path, err);
}

int rp_exists(const char *path)
{
    struct stat st;
    return path && *path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int rp_png_size(const unsigned char *d, size_t n, unsigned *w, unsigned *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 24 || memcmp(d, sig, 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
        return 0;
    *w = (unsigned)d[16] << 24 | (unsigned)d[17] << 16 | (unsigned)d[18] << 8 | d[19];
    *h = (unsigned)d[20] << 24 | (unsigned)d[21] << 16 | (unsigned)d[22] << 8 | d[23];
    return 1;
}

/* ---- gnuplot ---- */

/* Run gnuplot on SCRIPT_TEXT (fed through a file in dir); 0 when it exits 0. */
static int run_gnuplot_file(const char *dir, const char *script, const char *log)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) {
            dup2(nul, STDIN_FILENO);
            close(nul);
        }
        char *const argv[] = {"gnuplot", (char *)script, NULL};
        execvp("gnuplot", argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int term_works(const char *dir, const char *term)
{
    char path[RP_PATH + 64];
    snprintf(path, sizeof path, "%s/.probe_terminal.gp", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    fprintf(f, "set terminal %s\n", term);
    fclose(f);
    int rc = run_gnuplot_file(dir, ".probe_terminal.gp", NULL);
    unlink(path);
    return rc == 0;
}

void rp_gnuplot_detect(rp_report *r)
{
    r->png_term[0] = r->pdf_term[0] = '\0';
    if (term_works(r->fig_dir, "pngcairo"))
        snprintf(r->png_term, sizeof r->png_term, "pngcairo");
    else if (term_works(r->fig_dir, "png"))
        snprintf(r->png_term, sizeof r->png_term, "png");
    if (r->opt->pdf && term_works(r->fig_dir, "pdfcairo"))
        snprintf(r->pdf_term, sizeof r->pdf_term, "pdfcairo");
}

int rp_gnuplot_run(const rp_report *r, const char *stem, char *why, size_t why_len)
{
    char script[256], log[256], logpath[RP_PATH + 300];
    snprintf(script, sizeof script, "%s.gp", stem);
    snprintf(log, sizeof log, "%s.log", stem);
    int rc = run_gnuplot_file(r->fig_dir, script, log);
    snprintf(logpath, sizeof logpath, "%s/%s", r->fig_dir, log);
    if (rc == 0) {
        unlink(logpath); /* warnings only; keep the directory clean */
        return 0;
    }
    /* Keep the log; quote its last line as the reason. */
    unsigned char *d;
    size_t n;
    why[0] = '\0';
    if (rp_read_file(logpath, &d, &n) == 0) {
        while (n && (d[n - 1] == '\n' || d[n - 1] == ' '))
            n--;
        size_t s = n;
        while (s && d[s - 1] != '\n')
            s--;
        snprintf(why, why_len, "gnuplot exited with %d: %.*s (fig/%s)", rc, (int)(n - s), (const char *)d + s, log);
        free(d);
    } else {
        snprintf(why, why_len, "gnuplot could not be run (exit %d)", rc);
    }
    return -1;
}
