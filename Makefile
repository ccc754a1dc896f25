# ecms: GNU Make + pkg-config. One source list: every lib/**/*.c goes into
# libecms, every cli/*.c and server/*.c into the ecms binary (server/ goes
# through libecms-server.a, which the unit tests and fuzzers link too, so
# they can drive the HTTP dispatcher), every tests/unit/test_*.c is a cmocka
# program, every tests/fuzz/fuzz_*.c a libFuzzer target.
#
#   make            release build (build/release/ecms)
#   make demo       install deps, build, create demo.db with the simulator
#   make check      install deps, ASan+UBSan build, every test
#   make fuzz       run every fuzzer longer (FUZZ_SECONDS, default 300)
#   make bench      optimised build, plant benchmark (SCALE=small for a quick run)

.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:
SHELL := /bin/bash

MODE ?= release
B := build/$(MODE)

PKGS := sqlite3 jansson libsodium zlib cairo fontconfig libmicrohttpd libqpid-proton
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lzint -lm -lpthread

CC ?= cc
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wno-missing-field-initializers -Wformat=2 -Wvla
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE -I. -Iinclude -Ilib -I$(B)/gen $(WARN)

ifeq ($(MODE),asan)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDOPT := -fsanitize=address,undefined
else
OPT := -O2 -g -DNDEBUG
LDOPT :=
endif

CFLAGS_ALL = $(BASE_CFLAGS) $(OPT) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(LDOPT) $(LDFLAGS)

LIB_SRC := $(sort $(wildcard lib/*.c lib/*/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
SERVER_SRC := $(sort $(wildcard server/*.c))
SCHEMA := $(sort $(wildcard lib/store/schema/*.sql))
WEB := $(sort $(wildcard server/web/*))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/schema.o
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
SERVER_OBJ := $(SERVER_SRC:%.c=$(B)/%.o) $(B)/gen/web.o
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TESTLIB_OBJ := $(B)/tests/unit/testutil.o

.PHONY: all deps deps-check demo check unit golden fuzz fuzz-check bench clean style
all: $(B)/ecms

deps:
	@tools/deps.sh build
deps-check:
	@tools/deps.sh check

$(B)/gen/schema.c: $(SCHEMA) tools/embed_sql.sh
	@mkdir -p $(@D)
	$(Q)tools/embed_sql.sh $(SCHEMA) > $@

$(B)/gen/schema.o: $(B)/gen/schema.c
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

# The web UI (server/web/*), embedded into the binary.
$(B)/gen/web.c: $(WEB) tools/embed_web.sh
	@mkdir -p $(@D)
	$(Q)tools/embed_web.sh $(WEB) > $@

$(B)/gen/web.o: $(B)/gen/web.c server/server.h
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

Q := $(if $(V),,@)
$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC  $<")
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(B)/libecms.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(B)/libecms-server.a: $(SERVER_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(B)/ecms: $(CLI_OBJ) $(B)/libecms-server.a $(B)/libecms.a
	$(if $(V),,@echo "  LD  $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(B)/libecms-server.a $(B)/libecms.a $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c $(TESTLIB_OBJ) $(B)/libecms-server.a $(B)/libecms.a
	@mkdir -p $(@D)
	$(if $(V),,@echo "  LD  $@")
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(TESTLIB_OBJ) $(B)/libecms-server.a \
		$(B)/libecms.a $(LDFLAGS_ALL) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(SERVER_OBJ:.o=.d)

# ---------------------------------------------------------------- demo
demo: deps
	@$(MAKE) --no-print-directory MODE=release all
	@tools/demo.sh build/release/ecms

# ---------------------------------------------------------------- tests
# `make check` = style + unit + golden + fuzz (bounded), ASan+UBSan.
# tests/run.sh prints one line per suite and ends with "N passed, N failed".
check: deps-check
	@$(MAKE) --no-print-directory MODE=release all
	@$(MAKE) --no-print-directory MODE=asan test-build
	@$(MAKE) --no-print-directory fuzz-build
	@tests/run.sh build/asan build/fuzz

test-build: $(B)/ecms $(UNIT_BIN)

# ---------------------------------------------------------------- fuzzing
FUZZ_B := build/fuzz
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -I. -Iinclude -Ilib -I$(FUZZ_B)/gen -g -O1 \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_B)/%.o) $(FUZZ_B)/gen/schema.o
FUZZ_SERVER_OBJ := $(SERVER_SRC:%.c=$(FUZZ_B)/%.o) $(FUZZ_B)/gen/web.o
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_B)/%)

fuzz-build: $(FUZZ_BIN)

$(FUZZ_B)/gen/schema.c: $(SCHEMA) tools/embed_sql.sh
	@mkdir -p $(@D)
	$(Q)tools/embed_sql.sh $(SCHEMA) > $@
$(FUZZ_B)/gen/schema.o: $(FUZZ_B)/gen/schema.c
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(FUZZ_B)/gen/web.c: $(WEB) tools/embed_web.sh
	@mkdir -p $(@D)
	$(Q)tools/embed_web.sh $(WEB) > $@
$(FUZZ_B)/gen/web.o: $(FUZZ_B)/gen/web.c server/server.h
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(FUZZ_B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_B)/server/%.o: server/%.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_B)/libecms.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(FUZZ_B)/libecms-server.a: $(FUZZ_SERVER_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_B)/libecms-server.a $(FUZZ_B)/libecms.a
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_B)/libecms-server.a $(FUZZ_B)/libecms.a $(PKG_LIBS)
-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_SERVER_OBJ:.o=.d)

FUZZ_SECONDS ?= 300
fuzz: deps-check fuzz-build
	@for f in $(FUZZ_BIN); do n=$${f##*/fuzz_}; \
		tests/fuzz/run.sh $$f tests/fuzz/corpus/$$n $(FUZZ_SECONDS) || exit 1; done

# ---------------------------------------------------------------- bench
# `make bench`: the plant benchmark (bench/plant_bench.c): a plant's
# production through ecms and through a one-row-per-placement SQLite
# baseline, in one run; writes bench/results.json. SCALE=small: 3,000
# boards (about a minute); default 100,000 boards x 500 placements.
# `make bench-scaling`: the same at 10^4..10^5 boards (BENCH_SCALES), each
# to bench/scaling/results-N.json, and the plot docs/performance-scaling.png.
BENCH_BOARDS = $(if $(filter small,$(SCALE)),3000,$(if $(SCALE),$(SCALE),100000))
BENCH_JSON ?= bench/results.json
BENCH_SCALES ?= 10000 30000 100000
bench: bench-deps
	@$(MAKE) --no-print-directory MODE=release build/release/ecms build/release/bench/plant_bench
	@build/release/bench/plant_bench --boards $(BENCH_BOARDS) --ecms build/release/ecms \
		--json $(BENCH_JSON) $(BENCH_ARGS)

bench-deps:
	@tools/deps.sh bench

.PHONY: bench-deps bench-scaling
bench-scaling: bench-deps
	@$(MAKE) --no-print-directory MODE=release build/release/ecms build/release/bench/plant_bench \
		build/release/bench/plot_scaling
	@mkdir -p bench/scaling
	@for n in $(BENCH_SCALES); do \
		build/release/bench/plant_bench --boards $$n --ecms build/release/ecms \
			--json bench/scaling/results-$$n.json $(BENCH_ARGS) || exit 1; done
	@build/release/bench/plot_scaling docs/performance-scaling.png bench/scaling/results-*.json

# bench/<name>_bench.c and bench/<name>.c: programs linked with libecms
# (and so with SQLite for the baselines). `make bench-genealogy` runs the
# older genealogy-only benchmark (BENCH_ARGS: --boards N, --exact).
$(B)/bench/%: bench/%.c $(B)/libecms.a
	@mkdir -p $(@D)
	$(if $(V),,@echo "  LD  $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/libecms.a $(LDFLAGS_ALL) $(PKG_LIBS)

.PHONY: bench-genealogy
bench-genealogy: deps-check
	@$(MAKE) --no-print-directory MODE=release build/release/bench/genealogy_bench
	@build/release/bench/genealogy_bench $(BENCH_ARGS)

style:
	@tools/checksrc.sh

clean:
	rm -rf build
