# nlif — verification and benchmark suite for NNLIF Fokker–Planck solvers.
#   make          build bin/nlif (installs missing Debian packages first when run as root)
#   make check    unit tests + quick verification (the CI command)
#   make run      the main job
#   make sanitize AddressSanitizer + UBSan build, runs the unit tests
#   make bench    benchmarks (ratios measured in one run)
# With an MPI compiler (mpicc, Debian openmpi-bin libopenmpi-dev), make also builds bin/nlif-mpi: the
# same program with `mc` spread over MPI processes (reference/montecarlo_mpi.c, the only MPI file),
# and make check runs its tests (tests/test_mpi.c). Without one, both say that the MPI part is skipped.
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2
EXTRA_CFLAGS ?=
# -Wno-format-truncation: messages are bounded on purpose (snprintf into fixed buffers cuts them).
# -ffp-contract=off: no fused multiply-add anywhere, so the SIMD paths of the particle kernel and its
# scalar path round identically (MATHEMATICS.md §1.1, "The particle kernel").
CFLAGS  = -std=c11 $(OPT) -ffp-contract=off -Wall -Wextra -Werror -Wno-format-truncation -pthread -D_DEFAULT_SOURCE -MMD -MP $(EXTRA_CFLAGS)
LDLIBS  = -ljansson -linih -lsundials_cvode -lsundials_nvecserial -lgsl -lgslcblas -lm -pthread
TESTLIBS = -lcunit

MPICC   ?= mpicc
LIB_SRC  = $(filter-out harness/main.c reference/montecarlo_mpi.c,$(wildcard solvers/*/*.c reference/*.c harness/*.c reports/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard tests/bench_*.c)
BENCH_BIN = $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      = $(BUILD)/libnlif.a
# The program: bin/nlif for the normal build, $(BUILD)/nlif for others (sanitizer).
NLIF     = $(if $(filter build,$(BUILD)),bin/nlif,$(BUILD)/nlif)
# The MPI program: normal build only, when $(MPICC) exists.
HAVE_MPI := $(shell command -v $(MPICC) >/dev/null 2>&1 && echo yes)
NLIF_MPI = $(if $(and $(HAVE_MPI),$(filter build,$(BUILD))),bin/nlif-mpi)

.PHONY: all deps check unit verify-quick run sanitize bench clean
all: $(NLIF) $(NLIF_MPI)
ifeq ($(HAVE_MPI),)
	@echo "nlif: no MPI compiler ($(MPICC)): bin/nlif-mpi is not built (MPI part skipped)"
endif

deps:
	@sh ci/deps.sh

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(NLIF): $(BUILD)/harness/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/reference/montecarlo_mpi.o: reference/montecarlo_mpi.c | deps
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS) -DNLIF_MPI -c $< -o $@

bin/nlif-mpi: $(BUILD)/reference/montecarlo_mpi.o $(LIB)
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/tests/nlif_test.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/tests/nlif_test.o $(LIB) $(TESTLIBS) $(LDLIBS)

$(BUILD)/tests/nlif_test.o: tests/nlif_test.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# bin/nlif plus deliberately broken scheme variants, for tests/test_harness.c
$(BUILD)/tests/nlif_broken: tests/nlif_broken.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

unit: $(NLIF) $(NLIF_MPI) $(TEST_BIN) $(BUILD)/tests/nlif_broken
	@NLIF=$(NLIF) NLIF_MPI_BIN=$(NLIF_MPI) sh ci/run-tests.sh $(TEST_BIN)

# The quick verification: every case x scheme at the default resolution, coarse ladders.
verify-quick: $(NLIF)
	$(NLIF) verify --quick -j 2

check: unit
	@$(MAKE) --no-print-directory verify-quick

# The main job: the full verification, then the report, then the report checked in Chromium.
# The report is written even when a check failed; make run then exits with verify's status.
run: $(NLIF)
	$(NLIF) reference catalogue
	@$(NLIF) verify --full -j 2; st=$$?; \
	  $(NLIF) report && sh reports/check_html.sh reports/out/index.html || exit 3; \
	  echo "report: reports/out/index.html (verify exit code $$st)"; exit $$st

sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" unit

bench: $(NLIF) $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

clean:
	rm -rf build build-san bin/nlif bin/nlif-mpi

-include $(LIB_OBJ:.o=.d) $(BUILD)/harness/main.d $(BUILD)/reference/montecarlo_mpi.d
