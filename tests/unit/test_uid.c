/*
 * test_uid.c: unique package IDs: round trips, the exact format, that the
 * check character catches every single substitution and every
 * transposition (exhaustively over the alphabet), and what is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms/uid.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* A small deterministic generator (xorshift64*), so runs repeat. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static uint64_t
parse_ok(const char *text)
{
	ecms_error e;
	uint64_t v = 0;

	if (ecms_uid_parse(text, &v, &e) != ECMS_OK)
		fail_msg("'%s' refused: %s", text, e.message);
	return v;
}

/* Parse must refuse text with a message containing want. */
static void
parse_bad(const char *text, const char *want)
{
	ecms_error e;
	uint64_t v = 12345;
	int rc;

	ecms_error_clear(&e);
	rc = ecms_uid_parse(text, &v, &e);
	if (rc != ECMS_EINVAL)
		fail_msg("'%s': rc %d, expected ECMS_EINVAL", text, rc);
	assert_true(v == 12345); /* untouched on failure */
	assert_string_equal(e.field, "uid");
	if (strstr(e.message, want) == NULL)
		fail_msg("'%s': message \"%s\" lacks \"%s\"", text, e.message, want);
}

static void
test_known_values(void **state)
{
	static const struct {
		uint64_t seq;
		const char *uid;
	} v[] = {
		{ 0, "XU00000000" },
		{ 1, "XU00000012" },
		{ 2, "XU00000024" },
		{ 31, "XU000000ZV" },
		{ 32, "XU00000104" },
		{ 1000000, "XU000YGJ00" },
		{ UINT64_C(34359738367), "XUZZZZZZZC" },
		{ UINT64_C(34359738368), "XU10000000D" },
		{ UINT64_MAX, "XUFZZZZZZZZZZZZX" },
	};
	char buf[ECMS_UID_MAX];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_ptr_equal(ecms_uid_format(v[i].seq, buf), buf);
		assert_string_equal(buf, v[i].uid);
		assert_true(parse_ok(v[i].uid) == v[i].seq);
	}
	assert_int_equal(strlen(ECMS_UID_PREFIX), 2);
	assert_int_equal(strlen("XUFZZZZZZZZZZZZX") + 1, ECMS_UID_MAX);
}

static void
test_roundtrip(void **state)
{
	char buf[ECMS_UID_MAX];
	uint64_t s = UINT64_C(0x9E3779B97F4A7C15), seq;
	size_t len;

	/* The first numbers, then random ones of every magnitude. */
	for (seq = 0; seq < 200000; seq++) {
		ecms_uid_format(seq, buf);
		assert_int_equal(strlen(buf), ECMS_UID_LEN);
		assert_true(parse_ok(buf) == seq);
	}
	for (int i = 0; i < 200000; i++) {
		seq = rnd(&s) >> (i % 64);
		ecms_uid_format(seq, buf);
		len = strlen(buf);
		assert_true(len >= ECMS_UID_LEN && len < ECMS_UID_MAX);
		assert_true(ecms_uid_looks_like(buf));
		assert_true(parse_ok(buf) == seq);
	}
	/* Lengths step up at each power of 32 from 32^7. */
	for (int k = 7; k <= 12; k++) {
		uint64_t p = UINT64_C(1) << (5 * k);
		ecms_uid_format(p - 1, buf);
		assert_int_equal(strlen(buf), 3 + (size_t)k);
		assert_true(parse_ok(buf) == p - 1);
		ecms_uid_format(p, buf);
		assert_int_equal(strlen(buf), 4 + (size_t)k);
		assert_true(parse_ok(buf) == p);
	}
}

/* Value of a character as parse reads it after the prefix, or -1. */
static int
char_value(int c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c == 'O')
		return 0;
	if (c == 'I' || c == 'L')
		return 1;
	if (c == 0 || (p = strchr(alphabet, c)) == NULL)
		return -1;
	return (int)(p - alphabet);
}

/* Every byte 1..255 at every position of a UID: accepted exactly when it
 * reads as the same value there (case, aliases), else refused. */
static void
check_substitutions(const char *uid)
{
	char t[ECMS_UID_MAX + 4];
	size_t len = strlen(uid);
	uint64_t seq = parse_ok(uid);
	long refused = 0;

	for (size_t pos = 0; pos < len; pos++) {
		for (int b = 1; b < 256; b++) {
			ecms_error e;
			uint64_t v;
			bool same;
			int rc;

			memcpy(t, uid, len + 1);
			t[pos] = (char)b;
			if (pos < 2)
				same = b == uid[pos] || b == uid[pos] - 'A' + 'a';
			else
				same = char_value(b) == char_value(uid[pos]);
			rc = ecms_uid_parse(t, &v, &e);
			if (same) {
				if (rc != ECMS_OK || v != seq)
					fail_msg("'%s' (pos %zu := %d) refused: %s", uid, pos, b,
						 e.message);
			} else if (rc == ECMS_OK) {
				fail_msg("substitution in '%s' at %zu by 0x%02X accepted", uid, pos,
					 b);
			} else {
				refused++;
			}
			/* Substitutions inside the alphabet fail on the check (in
			 * the first digit of a long UID, 0 is a leading zero and
			 * G-Z can overflow). */
			if (!same && pos >= 2 && char_value(b) >= 0 &&
			    !(pos == 2 && len > ECMS_UID_LEN))
				assert_non_null(strstr(e.message, "check character mismatch: "
								  "mistyped or misread"));
		}
	}
	assert_true(refused > (long)len * 200);
}

static void
test_single_substitutions(void **state)
{
	char buf[ECMS_UID_MAX];
	uint64_t s = 42;

	check_substitutions("XU00000012");
	check_substitutions("XUZZZZZZZC");
	check_substitutions("XU10000000D");
	check_substitutions("XUFZZZZZZZZZZZZX");
	for (int i = 0; i < 40; i++)
		check_substitutions(ecms_uid_format(rnd(&s) >> (i % 30 + 30), buf));
}

/* Swap two positions of a valid UID; if the characters differ, parse
 * must refuse. Returns whether a test was made. */
static bool
check_swap(const char *uid, size_t i, size_t j)
{
	char t[ECMS_UID_MAX];
	ecms_error e;
	uint64_t v;
	char c;

	if (uid[i] == uid[j])
		return false;
	memcpy(t, uid, strlen(uid) + 1);
	c = t[i];
	t[i] = t[j];
	t[j] = c;
	if (ecms_uid_parse(t, &v, &e) == ECMS_OK)
		fail_msg("transposition %zu<->%zu of %s gives %s, accepted", i, j, uid, t);
	return true;
}

/* Every adjacent transposition, exhaustively over the alphabet: for each
 * pair of neighbouring digit positions (the check character included)
 * and every pair of distinct values (x, y) there, a UID with x, y in
 * those places is refused after the swap. */
static void
test_adjacent_transpositions(void **state)
{
	static const uint64_t backgrounds[] = { 0, UINT64_C(0x5A5A5A5A5), UINT64_C(34359738367) };
	char uid[ECMS_UID_MAX];
	bool seen[32][32];
	long tested = 0;

	for (size_t b = 0; b < sizeof(backgrounds) / sizeof(backgrounds[0]); b++) {
		/* Body positions 0..5 with their right neighbour in the body. */
		for (int pos = 0; pos < ECMS_UID_DIGITS - 1; pos++) {
			int sh = 5 * (ECMS_UID_DIGITS - 2 - pos); /* shift of the right digit */
			for (uint64_t x = 0; x < 32; x++) {
				for (uint64_t y = 0; y < 32; y++) {
					uint64_t seq = backgrounds[b];
					seq &= ~(UINT64_C(0x3FF) << sh);
					seq |= ((x << 5) | y) << sh;
					ecms_uid_format(seq, uid);
					tested += check_swap(uid, 2 + (size_t)pos, 3 + (size_t)pos);
				}
			}
		}
	}
	/* The last digit and the check character: every (digit, check) pair. */
	memset(seen, 0, sizeof(seen));
	for (uint64_t seq = 0; seq < 32 * 32 * 4; seq++) {
		ecms_uid_format(seq, uid);
		seen[char_value(uid[8])][char_value(uid[9])] = true;
		tested += check_swap(uid, 8, 9);
	}
	for (int x = 0; x < 32; x++)
		for (int y = 0; y < 32; y++)
			if (!seen[x][y])
				fail_msg("pair (%c, %c) never tested", alphabet[x], alphabet[y]);
	/* The prefix with its neighbours. */
	for (uint64_t seq = 0; seq < 100; seq++) {
		ecms_uid_format(seq * UINT64_C(998244353), uid);
		tested += check_swap(uid, 0, 1);
		tested += check_swap(uid, 1, 2);
	}
	assert_true(tested > 3 * 6 * 32 * 31);
}

/* Every transposition of two positions anywhere in sample UIDs. */
static void
test_all_transpositions(void **state)
{
	char uid[ECMS_UID_MAX];
	uint64_t s = 7;

	for (int n = 0; n < 2000; n++) {
		size_t len;

		ecms_uid_format(rnd(&s) >> (n % 64), uid);
		len = strlen(uid);
		for (size_t i = 0; i < len; i++)
			for (size_t j = i + 1; j < len; j++)
				check_swap(uid, i, j);
	}
}

static void
test_lenient_input(void **state)
{
	/* Lower case, Crockford aliases, scanner whitespace, AIM identifier. */
	assert_true(parse_ok("xu00000012") == 1);
	assert_true(parse_ok("Xu000yGj00") == 1000000);
	assert_true(parse_ok("XUOOOOOO12") == 1);
	assert_true(parse_ok("XUoooooOi2") == 1);
	assert_true(parse_ok("XU000000L2") == 1);
	assert_true(parse_ok("  XU00000012\r\n") == 1);
	assert_true(parse_ok("\tXU00000012\n") == 1);
	assert_true(parse_ok("]d1XU00000012") == 1);
	assert_true(parse_ok("]Q3xu00000012\r") == 1);
}

static void
test_refusals(void **state)
{
	ecms_error e;
	uint64_t v;
	char buf[64];
	int c;

	assert_int_equal(ecms_uid_parse(NULL, &v, &e), ECMS_EINVAL);
	assert_int_equal(ecms_uid_parse("XU00000013", &v, NULL), ECMS_EINVAL);
	parse_bad("", "empty package ID");
	parse_bad(" \r\n", "empty package ID");
	parse_bad("X", "is not an ecms package ID");
	parse_bad("EC00000012", "is not an ecms package ID");
	parse_bad("UX00000012", "is not an ecms package ID");
	parse_bad("L-WH1-R03-S2", "'L-WH1-R03-S2' is not an ecms package ID (they start with XU)");
	parse_bad("[)>\x1e"
		  "06\x1d"
		  "1PXU123\x1dQ10",
		  "'[)>\\x1E06\\x1D1PXU123\\x1DQ10'");
	parse_bad("{pbn:PICK1,pc:C1,pm:XU1}", "is not an ecms package ID");
	parse_bad("XU", "has 2 characters; an ecms package ID has 10");
	parse_bad("XU0000001", "has 9 characters");
	parse_bad("XU00000013", "check character mismatch: mistyped or misread");
	parse_bad("XU00000021", "check character mismatch");
	assert_true(parse_ok("XU00000012 ") == 1); /* trailing space is trimmed */
	parse_bad("XU0000-0012", "character '-' at position 7 is not allowed");
	parse_bad("XU0000 0012", "character ' ' at position 7 is not allowed");
	parse_bad("XU000000U2", "character 'U' at position 9 is not allowed");
	parse_bad("XU000000*2", "character '*' at position 9");
	parse_bad("XU0000\xc3\x9c"
		  "012",
		  "byte 0xC3 at position 7");
	parse_bad("XU00000012\x1d", "byte 0x1D at position 11");
	/* A canonical UID has no extra leading zero. */
	parse_bad("XU000000012", "leading zero");
	parse_bad("XU0000000000000000", "has 18 characters");
	/* 13 digits above UINT64_MAX: find the check character that passes
	 * the check, then it must fail on the range. */
	for (c = 0; c < 32; c++) {
		snprintf(buf, sizeof(buf), "XUG000000000000%c", alphabet[c]);
		if (ecms_uid_parse(buf, &v, &e) == ECMS_EINVAL &&
		    strstr(e.message, "check character") == NULL)
			break;
	}
	assert_true(c < 32);
	assert_non_null(strstr(e.message, "number too large"));
	/* Long garbage is quoted, cut, not echoed whole. */
	memset(buf, 'Q', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	parse_bad(buf, "QQQ...' is not an ecms package ID");
}

static void
test_looks_like(void **state)
{
	assert_true(ecms_uid_looks_like("XU00000012"));
	assert_true(ecms_uid_looks_like("XU00000013")); /* bad check: still a UID scan */
	assert_true(ecms_uid_looks_like("xu0000oo12"));
	assert_true(ecms_uid_looks_like("]d1XU00000012\r\n"));
	assert_true(ecms_uid_looks_like("XUFZZZZZZZZZZZZX"));
	assert_false(ecms_uid_looks_like(NULL));
	assert_false(ecms_uid_looks_like(""));
	assert_false(ecms_uid_looks_like("XU0000001"));
	assert_false(ecms_uid_looks_like("XU0000000000000000"));
	assert_false(ecms_uid_looks_like("XU0000-0012"));
	assert_false(ecms_uid_looks_like("XU000000U2"));
	assert_false(ecms_uid_looks_like("L-WH1-R03-S2"));
	assert_false(ecms_uid_looks_like("ECQE2104KB"));
	assert_false(ecms_uid_looks_like("[)>\x1e"
					 "06\x1d"
					 "1PLM358\x1dQ10\x1e\x04"));
	assert_false(ecms_uid_looks_like("{pbn:PICK1,on:SO1,pc:C312270,pm:ST-1,qty:2}"));
	assert_false(ecms_uid_looks_like("QTY:1 PN:WBP-302 MPN:WBP-302"));
	assert_false(ecms_uid_looks_like("(01)38425876095074(17)181119(37)1"));
	assert_false(ecms_uid_looks_like("013842587609507417181119371"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_single_substitutions),
		cmocka_unit_test(test_adjacent_transpositions),
		cmocka_unit_test(test_all_transpositions),
		cmocka_unit_test(test_lenient_input),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_looks_like),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
