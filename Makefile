# nlif — verification and benchmark suite for NNLIF Fokker–Planck solvers.
#   make          build bin/nlif (installs missing Debian packages first when run as root)
#   make check    unit tests + quick verification (the CI command), everything under results/check/
#   make run      the main job
#   make sanitize AddressSanitizer + UBSan (float-cast-overflow included) build, runs the unit tests
#                 (the hostile-input tests and the fuzz corpus replay among them)
#   make fuzz     libFuzzer (clang) on the case parser and the result reader, FUZZ_SECONDS in all
#   make bench    benchmarks (ratios measured in one run)
#   make install  PREFIX=DIR: bin/nlif, the headers a plugin is built against, libnlif, nlif.pc
# With an MPI compiler (mpicc, Debian openmpi-bin libopenmpi-dev), make also builds bin/nlif-mpi: the
# same program with `mc` spread over MPI processes (cli/main_mpi.c, the only MPI file),
# and make check runs its tests (tests/test_mpi.c). Without one, both say that the MPI part is skipped.
# Two jobs: CI's machine has two cores, and make check must stay under ten minutes there (the build
# with -j2, the unit tests two at a time: ci/run-tests.sh). Set at the top level only (a sub-make
# shares its jobs); GNU make 4.3 shows no -j of the command line here, so this sets the number.
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j2
endif
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2
EXTRA_CFLAGS ?=
# -Wno-format-truncation: messages are bounded on purpose (snprintf into fixed buffers cuts them).
# -ffp-contract=off: no fused multiply-add anywhere, so the SIMD paths of the particle kernel and its
# scalar path round identically (MATHEMATICS.md §1.1, "The particle kernel").
# -fPIC: the same objects make libnlif.a, bin/nlif and libnlif.so (make install);
# -fno-semantic-interposition keeps calls inside the library as direct (and inlinable) as without it.
PIC     = -fPIC -fno-semantic-interposition
CFLAGS  = -std=c11 $(OPT) -ffp-contract=off -Wall -Wextra -Werror -Wno-format-truncation -pthread -D_DEFAULT_SOURCE -MMD -MP $(PIC) $(EXTRA_CFLAGS)
# -rdynamic: bin/nlif exports the library's functions, which the C plugins it loads (--plugin,
# harness/host/nlif_plugin.h) call; --whole-archive makes that every function of the library.
HOST_LDFLAGS = -rdynamic -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive
LDLIBS  = -ljansson -linih -lsundials_cvode -lsundials_nvecserial -lgsl -lgslcblas -lm -pthread
TESTLIBS = -lcunit

MPICC   ?= mpicc
# The layers (README "The layout"): every folder but tests/ and examples/ is library code, except the
# two mains.
LIB_DIRS = core exact io solvers/* reference harness/* reports cli
LIB_SRC  = $(filter-out cli/main.c cli/main_mpi.c,$(wildcard $(addsuffix /*.c,$(LIB_DIRS))))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
# The mutant catalogue (tests/mutants.h): linked into the program build/tests/nlif_mutants and into
# the tests that read the catalogue.
MUTANTS_OBJ = $(BUILD)/tests/mutants.o $(BUILD)/tests/mutants_cases.o
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# the longest first, so that the others run beside them (ci/run-tests.sh runs two at a time)
SLOW_TESTS = $(BUILD)/tests/test_mutants $(BUILD)/tests/test_harness $(BUILD)/tests/test_mpi
BENCH_SRC = $(wildcard tests/bench_*.c)
BENCH_BIN = $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      = $(BUILD)/libnlif.a
# The program: bin/nlif for the normal build, $(BUILD)/nlif for others (sanitizer).
NLIF     = $(if $(filter build,$(BUILD)),bin/nlif,$(BUILD)/nlif)
# The MPI program: normal build only, when $(MPICC) exists.
HAVE_MPI := $(shell command -v $(MPICC) >/dev/null 2>&1 && echo yes)
NLIF_MPI = $(if $(and $(HAVE_MPI),$(filter build,$(BUILD))),bin/nlif-mpi)

.PHONY: all deps check unit unit-tests docs-check verify-quick kill-check kill-test run sanitize bench clean fuzz fuzz-check fuzz-bins install install-headers install-check
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

$(NLIF): $(BUILD)/cli/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(HOST_LDFLAGS) $(LDLIBS)

$(BUILD)/cli/main_mpi.o: cli/main_mpi.c | deps
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS) -DNLIF_MPI -c $< -o $@

bin/nlif-mpi: $(BUILD)/cli/main_mpi.o $(LIB)
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS) -o $@ $< $(HOST_LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/tests/nlif_test.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/tests/nlif_test.o $(LIB) $(TESTLIBS) $(LDLIBS)

$(BUILD)/tests/nlif_test.o $(MUTANTS_OBJ): $(BUILD)/tests/%.o: tests/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The fuzz targets' corpus replay: the targets are plain functions (tests/fuzz/nlif_fuzz.h).
FUZZ_TARGETS = tests/fuzz/fuzz_case.c tests/fuzz/fuzz_result.c
$(BUILD)/tests/test_fuzz: tests/test_fuzz.c $(FUZZ_TARGETS) tests/fuzz/nlif_fuzz.h $(BUILD)/tests/nlif_test.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(FUZZ_TARGETS) $(BUILD)/tests/nlif_test.o $(LIB) $(TESTLIBS) $(LDLIBS)

# tests/test_mutants.c reads the catalogue itself
$(BUILD)/tests/test_mutants: tests/test_mutants.c tests/extsolver/mutants.inc $(BUILD)/tests/nlif_test.o $(MUTANTS_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/tests/nlif_test.o $(MUTANTS_OBJ) $(LIB) $(TESTLIBS) $(LDLIBS)

# bin/nlif plus the mutant catalogue, for tests/test_mutants.c and tests/test_harness.c
$(BUILD)/tests/nlif_mutants: tests/nlif_mutants.c $(MUTANTS_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(MUTANTS_OBJ) $(LIB) $(LDLIBS)

# bin/nlif plus an out-of-tree scheme that does nothing, for tests/test_judge.c
$(BUILD)/tests/nlif_frozen: tests/nlif_frozen.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# tests/extsolver: an external solver written against the published protocol only, and its defects
# (the external mutants): libc, libm and jansson, never libnlif, so that it shares no code with nlif.
EXTFV_SRC = $(wildcard tests/extsolver/*.c)
.PHONY: extfv
extfv: $(BUILD)/tests/extfv
$(BUILD)/tests/extfv: $(EXTFV_SRC) tests/extsolver/extfv.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(EXTFV_SRC) -ljansson -lm

# The portable kernel: the particle kernel built with NLIF_PORTABLE (the scalar path alone, what a
# machine that is not x86-64 runs) into a library, a bin/nlif and the particle tests of its own.
# Every file of the kernel (reference/particles*.c) is compiled with NLIF_PORTABLE in place of its
# normal object.
PORTABLE = $(BUILD)/portable
PARTICLES_SRC = $(wildcard reference/particles*.c)
PORTABLE_OBJ = $(PARTICLES_SRC:reference/%.c=$(PORTABLE)/%.o)
$(PORTABLE_OBJ): $(PORTABLE)/%.o: reference/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DNLIF_PORTABLE -c $< -o $@
$(PORTABLE)/libnlif.a: $(filter-out $(PARTICLES_SRC:%.c=$(BUILD)/%.o),$(LIB_OBJ)) $(PORTABLE_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(PORTABLE)/nlif: $(BUILD)/cli/main.o $(PORTABLE)/libnlif.a
	$(CC) $(CFLAGS) -o $@ $< -rdynamic -Wl,--whole-archive $(PORTABLE)/libnlif.a -Wl,--no-whole-archive $(LDLIBS)
PORTABLE_TESTS = $(PORTABLE)/test_particles $(PORTABLE)/test_particles_random
$(PORTABLE_TESTS): $(PORTABLE)/%: tests/%.c $(BUILD)/tests/nlif_test.o $(PORTABLE)/libnlif.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/tests/nlif_test.o $(PORTABLE)/libnlif.a $(TESTLIBS) $(LDLIBS)

# tests/layers.sh: no include and no link edge runs up or sideways the layers README draws, no cycle
# (tests/layers_selftest.sh: it refuses an upward include, a hidden upward call and a cycle);
# tests/sizes.sh: no .c file over 600 lines, no function over 120; tests/docs.sh: every command
# printed in README.md and the guides runs as printed (in a private copy of the tree).
# make unit: the test programs, then the documents' commands; make check runs the documents' commands
# beside the quick verification instead (one core's work while the other is free, not after it).
unit: unit-tests
	@$(MAKE) --no-print-directory docs-check
unit-tests: $(NLIF) $(NLIF_MPI) $(TEST_BIN) $(BUILD)/tests/nlif_mutants $(BUILD)/tests/nlif_frozen \
      $(PORTABLE)/nlif $(PORTABLE_TESTS) $(BUILD)/tests/extfv
	@sh tests/layers.sh $(CURDIR) $(BUILD)
	@CC="$(CC)" sh tests/layers_selftest.sh
	@sh tests/sizes.sh
	@NLIF=$(NLIF) NLIF_MPI_BIN=$(NLIF_MPI) sh ci/run-tests.sh $(SLOW_TESTS) $(filter-out $(SLOW_TESTS),$(TEST_BIN))
	@echo "the portable kernel (NLIF_PORTABLE: no vector path):"
	@NLIF=$(PORTABLE)/nlif sh ci/run-tests.sh $(PORTABLE_TESTS)
docs-check: $(NLIF)
	@NLIF=$(NLIF) sh tests/docs.sh

# make install PREFIX=DIR (default /usr/local): bin/nlif (and bin/nlif-mpi when built), the public
# headers under DIR/include/nlif/, libnlif.a, libnlif.so.VERSION (with the links libnlif.so.SOVERSION
# and libnlif.so) and DIR/lib/pkgconfig/nlif.pc (ci/install.sh).
PREFIX ?= /usr/local
PUBLIC_HEADERS = core/nlif_error.h core/nlif_model.h core/nlif_options.h \
                 core/nlif_trajectory.h core/nlif_scheme.h exact/nlif_density.h \
                 harness/host/nlif_plugin.h
# The shared library's soname is libnlif.so.$(SOVERSION): a program linked against it loads only a
# library of the same interface; SOVERSION goes up with any incompatible change of the public
# headers' functions or structures (nlif is at 0.x: the interface may still change between minors).
SOVERSION = 0
$(BUILD)/libnlif.so: $(LIB_OBJ)
	$(CC) $(CFLAGS) -shared -Wl,-soname,libnlif.so.$(SOVERSION) -Wl,--no-undefined -o $@ $^ $(LDLIBS)

install: $(NLIF) $(NLIF_MPI) $(LIB) $(BUILD)/libnlif.so
	@SOVERSION=$(SOVERSION) sh ci/install.sh "$(PREFIX)" $(BUILD) "$(NLIF)" "$(NLIF_MPI)" -- $(PUBLIC_HEADERS)
# the headers alone (tests/test_plugin.c builds its plugins against them)
install-headers:
	@sh ci/install.sh "$(PREFIX)" - -- $(PUBLIC_HEADERS)

# The installed headers, libraries and pkg-config file, and the plugin example built out of the tree
# against them and judged by verify (tests/install_check.sh).
install-check: $(NLIF)
	@MAKE="$(MAKE)" NLIF=$(NLIF) sh tests/install_check.sh

# The quick verification: every case x scheme at the default resolution, coarse ladders. The fresh
# instances (MATHEMATICS.md 6) are drawn from a fixed seed, so that CI judges the same problems every
# time (make check NLIF_SEED=N draws others), one around each stationary case (verify --quick draws
# two: the second costs make check 40 s of CPU; one is what exposes a stored answer, as in the smoke
# tier, and test_fresh and test_mutants judge drawn problems of their own). Everything make check writes under results/ goes to
# results/check/ (this verification to results/check/verify, the unit tests' tables and scratch
# folders beside it), so that make run's results/verify, and the report made from it, are never
# overwritten by a make check.
NLIF_SEED ?= 1
CHECK_OUT = results/check
verify-quick: $(NLIF)
	$(NLIF) verify --quick -j 2 --seed $(NLIF_SEED) --fresh 1 --out $(CHECK_OUT)/verify

# After the test programs, the quick verification beside the documents' commands and the kill-safety,
# fuzz and install checks, two at a time (each in folders of its own), each one's output printed whole
# when it ends.
check: unit-tests
	@$(MAKE) --no-print-directory -j2 --output-sync=target verify-quick docs-check kill-check fuzz-check install-check

# Kill-safety of verify (tests/kill_resume.sh): kill -9 at random moments, then verify --resume: the
# verdicts of an uninterrupted run, no orphan process, no temporary file. make check: 3 rounds on two
# cases (under a minute); make kill-test: 20 rounds on smooth_short (6 jobs: runs and
# convergence studies).
kill-check: $(NLIF)
	@NLIF=$(NLIF) sh tests/kill_resume.sh 3
kill-test: $(NLIF)
	@NLIF=$(NLIF) sh tests/kill_resume.sh 20 smooth_short

# libFuzzer with clang (ci/fuzz.sh; skipped, saying so, when clang or libFuzzer is missing). The
# library is rebuilt with clang into build-fuzz/ with ASan + UBSan.
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 40
FUZZ_SAN = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) MAKE="$(MAKE)" sh ci/fuzz.sh
fuzz-check:
	@FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) MAKE="$(MAKE)" sh ci/fuzz.sh
# (called by ci/fuzz.sh with BUILD=build-fuzz CC=clang)
fuzz-bins: $(BUILD)/fuzz_case $(BUILD)/fuzz_result
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/nlif_fuzz.h $(LIB)
	$(CC) $(CFLAGS) -DNLIF_LIBFUZZER -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)

# The main job: the full verification, then the report, then the report checked in Chromium.
# The report is written even when a check failed; make run then exits with verify's status.
run: $(NLIF)
	$(NLIF) reference catalogue
	@$(NLIF) verify --full -j 2; st=$$?; \
	  $(NLIF) report && sh reports/check_html.sh reports/out/index.html || exit 3; \
	  echo "report: reports/out/index.html (verify exit code $$st)"; exit $$st

sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer" unit

bench: $(NLIF) $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

clean:
	rm -rf build build-san build-fuzz bin/nlif bin/nlif-mpi

-include $(LIB_OBJ:.o=.d) $(BUILD)/cli/main.d $(MUTANTS_OBJ:.o=.d) $(BUILD)/tests/nlif_test.d $(BUILD)/cli/main_mpi.d \
         $(PORTABLE_OBJ:.o=.d)
