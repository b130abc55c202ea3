/* cvode_linsol.c — the linear algebra of the reference `cvode` (nlif_cvode.h): CVODE's Newton matrices
 * I − γJ live in a custom SUNMatrix of the Jacobian's shape (tridiagonal + one dense column: column
 * n−1, through the implicit rate) and are factored in O(n) by a custom SUNLinearSolver (type DIRECT)
 * that calls the suite's bordered tridiagonal solver (bordered.c), workspaces allocated once. With a
 * refractory period the unknown R joins as one more row and column (nlif_cvode_mat), eliminated by its
 * Schur complement: x_R = (b_R − A[R][m−1] w_{m−1}) / (A[R][R] − A[R][m−1] A[r][R] z_{m−1}), w = B⁻¹ b,
 * z = B⁻¹ e_r, then x = w − A[r][R] x_R z.
 */
#include "cvode_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the custom SUNMatrix: tridiagonal + dense last column -------------------------------------- */

static SUNMatrix_ID bmat_getid(SUNMatrix A)
{
    (void)A;
    return SUNMATRIX_CUSTOM;
}

static SUNMatrix bmat_clone(SUNMatrix A) { return nlif_cvode_bmat_new(bmat(A)->m, cvmat(A)->refr ? cvmat(A)->r : -1, A->sunctx); }

static void bmat_destroy(SUNMatrix A)
{
    if (!A)
        return;
    if (A->content) {
        nlif_bordered_free(bmat(A));
        free(cvmat(A)->z);
        free(A->content);
    }
    A->content = NULL;
    SUNMatFreeEmpty(A);
}

static int bmat_zero(SUNMatrix A)
{
    nlif_bordered *B = bmat(A);
    size_t s = (size_t)B->m * sizeof(double);
    memset(B->sub, 0, s);
    memset(B->diag, 0, s);
    memset(B->sup, 0, s);
    memset(B->col, 0, s);
    cvmat(A)->pr = cvmat(A)->rp = cvmat(A)->rr = 0.0;
    return 0;
}

static int bmat_copy(SUNMatrix A, SUNMatrix C)
{
    nlif_bordered *a = bmat(A), *c = bmat(C);
    if (a->m != c->m)
        return -1;
    size_t s = (size_t)a->m * sizeof(double);
    memcpy(c->sub, a->sub, s);
    memcpy(c->diag, a->diag, s);
    memcpy(c->sup, a->sup, s);
    memcpy(c->col, a->col, s);
    cvmat(C)->pr = cvmat(A)->pr, cvmat(C)->rp = cvmat(A)->rp, cvmat(C)->rr = cvmat(A)->rr;
    return 0;
}

/* A ← cA + I */
static int bmat_scaleaddi(realtype c, SUNMatrix A)
{
    nlif_bordered *B = bmat(A);
    for (int i = 0; i < B->m; i++) {
        B->sub[i] *= c;
        B->diag[i] = c * B->diag[i] + 1.0;
        B->sup[i] *= c;
        B->col[i] *= c;
    }
    nlif_cvode_mat *M = cvmat(A);
    M->pr *= c, M->rp *= c, M->rr = c * M->rr + 1.0;
    return 0;
}

static int bmat_matvec(SUNMatrix A, N_Vector x, N_Vector y)
{
    const nlif_cvode_mat *M = cvmat(A);
    const double *xd = NV_DATA_S(x);
    double *yd = NV_DATA_S(y);
    int m = M->B.m;
    nlif_bordered_matvec(&M->B, xd, yd);
    if (M->refr) {
        yd[M->r] += M->pr * xd[m];
        yd[m] = M->rp * xd[m - 1] + M->rr * xd[m];
    }
    return 0;
}

static int bmat_space(SUNMatrix A, long *lrw, long *liw)
{
    *lrw = 8L * bmat(A)->m;
    *liw = 1;
    return 0;
}

SUNMatrix nlif_cvode_bmat_new(int m, int r, SUNContext ctx)
{
    SUNMatrix A = SUNMatNewEmpty(ctx);
    if (!A)
        return NULL;
    A->ops->getid = bmat_getid;
    A->ops->clone = bmat_clone;
    A->ops->destroy = bmat_destroy;
    A->ops->zero = bmat_zero;
    A->ops->copy = bmat_copy;
    A->ops->scaleaddi = bmat_scaleaddi;
    A->ops->matvec = bmat_matvec;
    A->ops->space = bmat_space;
    nlif_cvode_mat *M = calloc(1, sizeof *M);
    if (!M || nlif_bordered_alloc(&M->B, m, NULL) || (r >= 0 && !(M->z = malloc((size_t)m * sizeof *M->z)))) {
        if (M)
            nlif_bordered_free(&M->B);
        free(M);
        SUNMatFreeEmpty(A);
        return NULL;
    }
    M->refr = r >= 0;
    M->r = r;
    A->content = M;
    return A;
}

/* ---- the custom SUNLinearSolver: factors I − γJ in place (the factor arrays of the matrix) ------- */

typedef struct { long last_flag; } blin;

static SUNLinearSolver_Type blin_gettype(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_DIRECT;
}

static SUNLinearSolver_ID blin_getid(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_CUSTOM;
}

static int blin_initialize(SUNLinearSolver S)
{
    ((blin *)S->content)->last_flag = 0;
    return 0;
}

static int blin_setup(SUNLinearSolver S, SUNMatrix A)
{
    int rc = nlif_bordered_factor(bmat(A));
    nlif_cvode_mat *M = cvmat(A);
    if (!rc && M->refr) { /* z = B⁻¹ e_r and the Schur complement of R */
        memset(M->z, 0, (size_t)M->B.m * sizeof *M->z);
        M->z[M->r] = 1.0;
        nlif_bordered_solve(&M->B, M->z);
        M->schur = M->rr - M->rp * M->pr * M->z[M->B.m - 1];
        rc = isfinite(M->schur) && M->schur != 0.0 ? 0 : NLIF_ENUMERIC;
    }
    ((blin *)S->content)->last_flag = rc;
    return rc ? 1 : 0; /* a zero pivot is recoverable: CVODE retries with a smaller step */
}

static int blin_solve(SUNLinearSolver S, SUNMatrix A, N_Vector x, N_Vector b, realtype tol)
{
    (void)tol;
    N_VScale(1.0, b, x);
    const nlif_cvode_mat *M = cvmat(A);
    double *xd = NV_DATA_S(x);
    nlif_bordered_solve(&M->B, xd);
    if (M->refr) {
        int m = M->B.m;
        double xr = (xd[m] - M->rp * xd[m - 1]) / M->schur;
        for (int i = 0; i < m; i++)
            xd[i] -= M->pr * xr * M->z[i];
        xd[m] = xr;
    }
    ((blin *)S->content)->last_flag = 0;
    return 0;
}

static sunindextype blin_lastflag(SUNLinearSolver S) { return ((blin *)S->content)->last_flag; }

static int blin_free(SUNLinearSolver S)
{
    if (!S)
        return 0;
    free(S->content);
    S->content = NULL;
    SUNLinSolFreeEmpty(S);
    return 0;
}

SUNLinearSolver nlif_cvode_blin_new(SUNContext ctx)
{
    SUNLinearSolver S = SUNLinSolNewEmpty(ctx);
    if (!S)
        return NULL;
    S->ops->gettype = blin_gettype;
    S->ops->getid = blin_getid;
    S->ops->initialize = blin_initialize;
    S->ops->setup = blin_setup;
    S->ops->solve = blin_solve;
    S->ops->lastflag = blin_lastflag;
    S->ops->free = blin_free;
    S->content = calloc(1, sizeof(blin));
    if (!S->content) {
        SUNLinSolFreeEmpty(S);
        return NULL;
    }
    return S;
}

