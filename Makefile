# nlif — verification and benchmark suite for NNLIF Fokker–Planck solvers.
#   make          build bin/nlif (installs missing Debian packages first when run as root)
#   make check    unit tests + quick verification (the CI command)
#   make run      the main job
#   make sanitize AddressSanitizer + UBSan build, runs the unit tests
#   make bench    benchmarks (ratios measured in one run)
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2
EXTRA_CFLAGS ?=
# -Wno-format-truncation: messages are bounded on purpose (snprintf into fixed buffers cuts them).
CFLAGS  = -std=c11 $(OPT) -Wall -Wextra -Werror -Wno-format-truncation -pthread -D_DEFAULT_SOURCE -MMD -MP $(EXTRA_CFLAGS)
LDLIBS  = -ljansson -linih -lsundials_cvode -lsundials_nvecserial -lgsl -lgslcblas -lm -pthread
TESTLIBS = -lcunit

LIB_SRC  = $(filter-out harness/main.c,$(wildcard solvers/*/*.c reference/*.c harness/*.c harness/checks/*.c reports/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
# The mutant catalogue (tests/mutants.h): linked into the program build/tests/nlif_mutants and into
# the tests that read the catalogue.
MUTANTS_OBJ = $(BUILD)/tests/mutants.o
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard tests/bench_*.c)
BENCH_BIN = $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      = $(BUILD)/libnlif.a
# The program: bin/nlif for the normal build, $(BUILD)/nlif for others (sanitizer).
NLIF     = $(if $(filter build,$(BUILD)),bin/nlif,$(BUILD)/nlif)

.PHONY: all deps check unit verify-quick run sanitize bench clean
all: $(NLIF)

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

$(BUILD)/tests/%: tests/%.c $(BUILD)/tests/nlif_test.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/tests/nlif_test.o $(LIB) $(TESTLIBS) $(LDLIBS)

$(BUILD)/tests/nlif_test.o $(MUTANTS_OBJ): $(BUILD)/tests/%.o: tests/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# tests/test_mutants.c reads the catalogue itself
$(BUILD)/tests/test_mutants: tests/test_mutants.c $(BUILD)/tests/nlif_test.o $(MUTANTS_OBJ) $(LIB)
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

unit: $(NLIF) $(TEST_BIN) $(BUILD)/tests/nlif_mutants $(BUILD)/tests/nlif_frozen
	@NLIF=$(NLIF) sh ci/run-tests.sh $(TEST_BIN)

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
	rm -rf build build-san bin/nlif

-include $(LIB_OBJ:.o=.d) $(BUILD)/harness/main.d $(MUTANTS_OBJ:.o=.d) $(BUILD)/tests/nlif_test.d
