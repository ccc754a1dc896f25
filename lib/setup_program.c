/*
 * setup_program.c: placement programs as production master data: the CSV
 * import (checked against the BOM), and the program list and show. The
 * slot maps are stored by the genealogy store (ecms_gen_program_set);
 * setup_programs says what each program builds. Part of the setup module
 * (setup.h); the interlock is in setup.c.
 */
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "document.h"
#include "ecms/genealogy.h"
#include "ecms/setup.h"
#include "event.h"
#include "master.h"

#define PROG_MAX_BYTES ((size_t)64 << 20)

enum pcol { P_PRODUCT, P_REV, P_SIDE, P_MACHINE, P_PROGRAM, P_SLOT, P_IPN, P_REFDES, P_N };
static const char *const pcol_names[P_N] = { "product", "rev",  "side", "machine",
					     "program", "slot", "ipn",  "refdes" };

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A name as the genealogy store takes it: 1..128 bytes, no control
 * characters. */
static bool
name_ok(const char *s, size_t max, const char **why)
{
	size_t n = strlen(s);

	if (n == 0) {
		*why = "is empty";
		return false;
	}
	if (n > max) {
		*why = "is too long (at most 128 bytes)";
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			*why = "holds a control character";
			return false;
		}
	return true;
}

/* The BOM of one product/rev: refdes -> ipn, ipn -> [alternates]. */
struct bomc {
	json_t *refdes; /* {refdes: ipn} */
	json_t *alts;   /* {ipn: {alt: true}} */
};

static int
bom_load(ecms *h, const char *product, const char *rev, json_t **out)
{
	json_t *refdes = json_object(), *alts = json_object();
	ecms__stmt *st;
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st, "SELECT refdes, ipn FROM bom_refdes WHERE product = ? AND rev = ?",
		     "tt", product, rev);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_object_set_new(refdes, ecms__col_text(st, 0),
				    json_string(ecms__col_text(st, 1)));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		rc = ecms__q(
			h, &st,
			"SELECT ipn, alt_ipn FROM bom_alternates WHERE product = ? AND rev = ?",
			"tt", product, rev);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_t *a = json_object_get(alts, ecms__col_text(st, 0));
		if (a == NULL) {
			a = json_object();
			json_object_set_new(alts, ecms__col_text(st, 0), a);
		}
		json_object_set_new(a, ecms__col_text(st, 1), json_true());
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE && rc != ECMS_OK) {
		json_decref(refdes);
		json_decref(alts);
		return rc;
	}
	*out = json_pack("{s:o,s:o}", "refdes", refdes, "alts", alts);
	return *out ? ECMS_OK : ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

/* One program of the file. */
struct pgroup {
	const char *machine, *program, *product, *rev, *side;
	int line;
	json_t *slots; /* [{slot, ipn, refdes: [...], line}] */
};

/* The line of machine m into out (n bytes): the parent of its location of
 * kind machine; "" when ecms does not know the machine's line. */
static int
machine_line(ecms *h, const char *m, char *out, size_t n)
{
	ecms__stmt *st;
	int rc;

	out[0] = '\0';
	if ((rc = ecms__q(h, &st, "SELECT parent FROM locations WHERE id = ? AND kind = 'machine'",
			  "t", m)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW && !ecms__col_null(st, 0))
		ecms__strlcpy(out, ecms__col_text(st, 0), n);
	ecms__done(h, st);
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

/* Refdes placed by stored programs of product/rev on machines of line
 * (each line's programs place the whole board; "" = machines of no known
 * line) that the file does not replace: into placed {refdes: "program P
 * on machine M (side)"}. */
static int
stored_placements(ecms *h, const char *product, const char *rev, const char *line,
		  const struct pgroup *g, size_t ng, json_t *placed)
{
	ecms__stmt *st;
	json_t *rows = json_array();
	size_t i, j, k;
	json_t *r;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT machine, program, side FROM setup_programs WHERE product = ? AND "
		     "rev = ? ORDER BY machine, program",
		     "tt", product, rev);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_array_append_new(rows,
				      json_pack("[s,s,s]", ecms__col_text(st, 0),
						ecms__col_text(st, 1), ecms__col_text(st, 2)));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE && rc != ECMS_OK) {
		json_decref(rows);
		return rc;
	}
	rc = ECMS_OK;
	json_array_foreach(rows, i, r) {
		const char *m = json_string_value(json_array_get(r, 0));
		const char *p = json_string_value(json_array_get(r, 1));
		const char *side = json_string_value(json_array_get(r, 2));
		bool replaced = false;
		json_t *prog, *s;
		char ml[ECMS_GEN_NAME_MAX + 1];
		if ((rc = machine_line(h, m, ml, sizeof(ml))))
			break;
		if (strcmp(ml, line) != 0)
			continue;
		for (k = 0; k < ng && !replaced; k++)
			replaced = !strcmp(g[k].machine, m) &&
				   (!strcmp(g[k].program, p) ||
				    (!strcmp(g[k].product, product) && !strcmp(g[k].rev, rev) &&
				     !strcmp(g[k].side, side)));
		if (replaced)
			continue;
		if ((rc = ecms_gen_program_get(h, p, m, &prog)))
			break;
		json_array_foreach(json_object_get(prog, "slots"), j, s) {
			size_t x;
			json_t *d;
			json_array_foreach(json_object_get(s, "refdes"), x, d) {
				char where[400];
				snprintf(where, sizeof(where), "program %s on machine %s (%s)", p,
					 m, side);
				json_object_set_new(placed, json_string_value(d),
						    json_string(where));
			}
		}
		json_decref(prog);
	}
	json_decref(rows);
	return rc;
}

/* Join the strings of an array with ", " (at most 20, then "..."). */
static void
join(const json_t *arr, char *buf, size_t n)
{
	size_t i, len = 0;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(arr, i, v) {
		int w;
		if (i == 20) {
			snprintf(buf + len, n - len, ", ... (%zu in all)", json_array_size(arr));
			return;
		}
		w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", json_string_value(v));
		if (w < 0 || (size_t)w >= n - len)
			return;
		len += (size_t)w;
	}
}

static int
cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
		      json_string_value(*(json_t *const *)b));
}

/* The keys of an object as a sorted array of strings. */
static json_t *
sorted_keys(const json_t *obj)
{
	json_t *arr = json_array(), **v;
	const char *k;
	json_t *x;
	size_t n = json_object_size(obj), i = 0;

	if (arr == NULL || n == 0)
		return arr;
	v = ecms__calloc(n, sizeof(*v));
	if (v == NULL) {
		json_decref(arr);
		return NULL;
	}
	json_object_foreach((json_t *)obj, k, x)
		v[i++] = json_string(k);
	qsort(v, n, sizeof(*v), cmp_json_str);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	ecms__free(v);
	return arr;
}

/* Write one program: its map to the genealogy store, its setup_programs
 * row. *change: "created", "updated" or "unchanged". */
static int
program_write(ecms *h, const struct pgroup *g, int64_t *version, const char **change,
	      size_t *nrefdes)
{
	size_t n = json_array_size(g->slots), total = 0, i;
	struct ecms_gen_slotmap *map = ecms__calloc(n, sizeof(*map));
	const char **refs = NULL;
	ecms__stmt *st;
	json_t *s;
	int rc;

	*change = "unchanged";
	json_array_foreach(g->slots, i, s)
		total += json_array_size(json_object_get(s, "refdes"));
	*nrefdes = total;
	refs = ecms__calloc(total ? total : 1, sizeof(*refs));
	if (map == NULL || refs == NULL) {
		ecms__free(map);
		ecms__free(refs);
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	total = 0;
	json_array_foreach(g->slots, i, s) {
		json_t *rd = json_object_get(s, "refdes"), *d;
		size_t j;
		map[i].slot = ecms__rs(s, "slot");
		map[i].ipn = ecms__rs(s, "ipn");
		map[i].refdes = refs + total;
		map[i].nrefdes = json_array_size(rd);
		json_array_foreach(rd, j, d)
			refs[total++] = json_string_value(d);
	}
	rc = ecms_gen_program_set(h, g->program, g->machine, map, n, version);
	ecms__free(map);
	ecms__free(refs);
	if (rc)
		return rc;
	rc = ecms__q(h, &st,
		     "SELECT product, rev, side, version FROM setup_programs WHERE machine = ? "
		     "AND program = ?",
		     "tt", g->machine, g->program);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		if (strcmp(ecms__col_text(st, 0), g->product) ||
		    strcmp(ecms__col_text(st, 1), g->rev) ||
		    strcmp(ecms__col_text(st, 2), g->side) || ecms__col_int(st, 3) != *version)
			*change = "updated";
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		*change = "created";
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	return rc;
}

int
ecms_program_import(ecms *h, const char *path, unsigned flags, json_t **summary,
		    ecms_import_report *rep)
{
	char *text = NULL;
	size_t len;
	int rc;

	memset(rep, 0, sizeof(*rep));
	if (summary)
		*summary = NULL;
	if ((rc = ecms__read_file(path, PROG_MAX_BYTES, &text, &len, &h->err)))
		return rc;
	rc = ecms_program_import_text(h, path, text, len, flags, summary, rep);
	ecms__free(text);
	return rc;
}

int
ecms_program_import_text(ecms *h, const char *path, const char *text, size_t len, unsigned flags,
			 json_t **summary, ecms_import_report *rep)
{
	struct ecms__errlist errs;
	struct ecms__csv *c = NULL;
	struct pgroup *g = NULL;
	size_t ng = 0;
	int col[P_N], rc = ECMS_OK;
	char sha[65];
	json_t *groups = json_object();  /* "machine\tprogram" -> group index */
	json_t *sidekey = json_object(); /* "product\trev\tside\tmachine" -> line */
	json_t *boms = json_object();    /* "product\trev" -> bom or null */
	json_t *placed = json_object();  /* "product\trev" -> {refdes: line} */
	json_t *progs = json_array(), *unplaced = json_array(), *payload = NULL;

	memset(rep, 0, sizeof(*rep));
	if (summary)
		*summary = NULL;
	ecms__errlist_init(&errs);
	if (len > PROG_MAX_BYTES) {
		rc = ecms__ctxfail(h, ECMS_EINVAL, NULL, "%s: larger than %zu bytes", path,
				   PROG_MAX_BYTES);
		goto out;
	}
	if ((rc = ecms__csv_parse(text, len, path, ',', &c, &h->err)))
		goto out;
	ecms__sha256_hex(text, len, sha);
	for (int k = 0; k < P_N; k++) {
		col[k] = -1;
		for (int j = 0; j < c->rows[0].ncols && col[k] < 0; j++)
			if (ecms__streq_nocase(trim(c->rows[0].cols[j]), pcol_names[k]))
				col[k] = j;
		if (col[k] < 0)
			ecms__errlist_add(&errs, 1,
					  "%s:1: no column '%s' (the header is product,rev,side,"
					  "machine,program,slot,ipn,refdes)",
					  path, pcol_names[k]);
	}
	if (errs.n)
		goto out;
	if (c->nrows < 2) {
		ecms__errlist_add(&errs, 0, "%s: no program rows", path);
		goto out;
	}
	g = ecms__calloc((size_t)c->nrows, sizeof(*g));
	if (g == NULL) {
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (int i = 1; i < c->nrows; i++) {
		struct ecms__csv_row *r = &c->rows[i];
		const char *v[P_N], *why;
		char key[600], why2[300];
		json_t *gi, *bom, *pl, *refdes, *d;
		struct pgroup *grp;
		bool bad = false;
		size_t k;

		for (int k2 = 0; k2 < P_N; k2++) {
			v[k2] = trim(r->cols[col[k2]]);
			if (k2 == P_REFDES)
				continue;
			if (!name_ok(v[k2], ECMS_GEN_NAME_MAX, &why) || strchr(v[k2], '\t')) {
				ecms__errlist_add(&errs, r->line, "%s:%d: column '%s': '%s' %s",
						  path, r->line, pcol_names[k2], v[k2],
						  strchr(v[k2], '\t') ? "holds a tab" : why);
				bad = true;
			}
		}
		if (bad)
			continue;
		if (ecms__streq_nocase(v[P_SIDE], "top"))
			v[P_SIDE] = "top";
		else if (ecms__streq_nocase(v[P_SIDE], "bottom"))
			v[P_SIDE] = "bottom";
		else {
			ecms__errlist_add(&errs, r->line,
					  "%s:%d: column 'side': '%s' is not a side (top, bottom)",
					  path, r->line, v[P_SIDE]);
			continue;
		}
		refdes = json_array();
		if (!*v[P_REFDES])
			ecms__errlist_add(&errs, r->line,
					  "%s:%d: column 'refdes': empty: list the reference "
					  "designators the slot places",
					  path, r->line);
		else if (!ecms__refdes_expand(v[P_REFDES], refdes, why2, sizeof(why2)))
			ecms__errlist_add(&errs, r->line, "%s:%d: column 'refdes': %s", path,
					  r->line, why2);
		if (json_array_size(refdes) == 0) {
			json_decref(refdes);
			continue;
		}
		/* The program this row belongs to. */
		snprintf(key, sizeof(key), "%s\t%s", v[P_MACHINE], v[P_PROGRAM]);
		gi = json_object_get(groups, key);
		if (gi == NULL) {
			char sk[600];
			json_t *other;
			snprintf(sk, sizeof(sk), "%s\t%s\t%s\t%s", v[P_PRODUCT], v[P_REV],
				 v[P_SIDE], v[P_MACHINE]);
			other = json_object_get(sidekey, sk);
			if (other) {
				ecms__errlist_add(
					&errs, r->line,
					"%s:%d: column 'program': %s rev %s %s on "
					"machine %s has program %s already (line %lld): "
					"one program per product side and machine",
					path, r->line, v[P_PRODUCT], v[P_REV], v[P_SIDE],
					v[P_MACHINE],
					g[json_integer_value(json_array_get(other, 1))].program,
					(long long)json_integer_value(json_array_get(other, 0)));
				json_decref(refdes);
				continue;
			}
			{
				/* A machine that is a location must be one of kind machine. */
				ecms__stmt *st;
				char kind[32] = "";
				if ((rc = ecms__q(h, &st, "SELECT kind FROM locations WHERE id = ?",
						  "t", v[P_MACHINE]))) {
					json_decref(refdes);
					goto out;
				}
				if (ecms__step(h, st) == ECMS__ROW)
					ecms__strlcpy(kind, ecms__col_text(st, 0), sizeof(kind));
				ecms__done(h, st);
				if (kind[0] && strcmp(kind, "machine") != 0)
					ecms__errlist_add(
						&errs, r->line,
						"%s:%d: column 'machine': location '%s' is "
						"a %s, not a machine",
						path, r->line, v[P_MACHINE], kind);
			}
			grp = &g[ng];
			grp->machine = v[P_MACHINE];
			grp->program = v[P_PROGRAM];
			grp->product = v[P_PRODUCT];
			grp->rev = v[P_REV];
			grp->side = v[P_SIDE];
			grp->line = r->line;
			grp->slots = json_array();
			json_object_set_new(sidekey, sk,
					    json_pack("[i,I]", r->line, (json_int_t)ng));
			json_object_set_new(groups, key, json_integer((json_int_t)ng));
			ng++;
		} else {
			grp = &g[json_integer_value(gi)];
			if (strcmp(grp->product, v[P_PRODUCT]) || strcmp(grp->rev, v[P_REV]) ||
			    strcmp(grp->side, v[P_SIDE])) {
				ecms__errlist_add(&errs, r->line,
						  "%s:%d: column '%s': program %s on machine %s "
						  "builds %s rev %s %s (line %d), not %s rev %s %s",
						  path, r->line,
						  strcmp(grp->product, v[P_PRODUCT]) ? "product"
						  : strcmp(grp->rev, v[P_REV])       ? "rev"
										     : "side",
						  grp->program, grp->machine, grp->product,
						  grp->rev, grp->side, grp->line, v[P_PRODUCT],
						  v[P_REV], v[P_SIDE]);
				json_decref(refdes);
				continue;
			}
		}
		{
			size_t si;
			json_t *s;
			bool twice = false;
			json_array_foreach(grp->slots, si, s) {
				if (strcmp(ecms__rs(s, "slot"), v[P_SLOT]) == 0) {
					ecms__errlist_add(
						&errs, r->line,
						"%s:%d: column 'slot': slot %s of program "
						"%s on machine %s is listed again (first "
						"on line %lld)",
						path, r->line, v[P_SLOT], grp->program,
						grp->machine, (long long)ecms__ri(s, "line"));
					twice = true;
					break;
				}
			}
			if (twice) {
				json_decref(refdes);
				continue;
			}
		}
		json_array_append_new(grp->slots,
				      json_pack("{s:s,s:s,s:O,s:i}", "slot", v[P_SLOT], "ipn",
						v[P_IPN], "refdes", refdes, "line", r->line));
		/* Against the BOM. */
		snprintf(key, sizeof(key), "%s\t%s", v[P_PRODUCT], v[P_REV]);
		bom = json_object_get(boms, key);
		if (bom == NULL) {
			int64_t one;
			rc = ecms__query_int(h, &one,
					     "SELECT 1 FROM products WHERE product = ? AND rev = ?",
					     "tt", v[P_PRODUCT], v[P_REV]);
			if (rc == ECMS_ENOTFOUND) {
				ecms__errlist_add(&errs, r->line,
						  "%s:%d: column 'product': no BOM for %s rev %s: "
						  "import it first (ecms import bom)",
						  path, r->line, v[P_PRODUCT], v[P_REV]);
				bom = json_null();
				rc = ECMS_OK;
			} else if (rc == ECMS_OK) {
				rc = bom_load(h, v[P_PRODUCT], v[P_REV], &bom);
			}
			if (rc) {
				json_decref(refdes);
				goto out;
			}
			json_object_set_new(boms, key, bom);
		}
		if (json_is_null(bom)) {
			json_decref(refdes);
			continue;
		}
		/* Every refdes once per line: each line's programs build the
		 * whole board. */
		{
			char ml[ECMS_GEN_NAME_MAX + 1], pkey[900];
			if ((rc = machine_line(h, v[P_MACHINE], ml, sizeof(ml)))) {
				json_decref(refdes);
				goto out;
			}
			snprintf(pkey, sizeof(pkey), "%s\t%s\t%s", v[P_PRODUCT], v[P_REV], ml);
			pl = json_object_get(placed, pkey);
			if (pl == NULL) {
				pl = json_object();
				json_object_set_new(placed, pkey, pl);
			}
		}
		{
			json_t *wrong = json_object(); /* bom ipn -> [refdes] */
			const char *wk;
			json_t *wv;
			json_array_foreach(refdes, k, d) {
				const char *rd = json_string_value(d);
				json_t *first = json_object_get(pl, rd);
				const char *bipn = json_string_value(
					json_object_get(json_object_get(bom, "refdes"), rd));
				if (first) {
					ecms__errlist_add(&errs, r->line,
							  "%s:%d: column 'refdes': %s is placed "
							  "again (first on line %lld)",
							  path, r->line, rd,
							  (long long)json_integer_value(first));
					continue;
				}
				json_object_set_new(pl, rd, json_integer(r->line));
				if (bipn == NULL) {
					ecms__errlist_add(
						&errs, r->line,
						"%s:%d: column 'refdes': %s is not in the "
						"BOM of %s rev %s",
						path, r->line, rd, v[P_PRODUCT], v[P_REV]);
					continue;
				}
				if (strcmp(bipn, v[P_IPN]) != 0 &&
				    !json_object_get(
					    json_object_get(json_object_get(bom, "alts"), bipn),
					    v[P_IPN])) {
					json_t *l = json_object_get(wrong, bipn);
					if (l == NULL) {
						l = json_array();
						json_object_set_new(wrong, bipn, l);
					}
					json_array_append_new(l, json_string(rd));
				}
			}
			json_object_foreach(wrong, wk, wv) {
				char list[400];
				join(wv, list, sizeof(list));
				ecms__errlist_add(&errs, r->line,
						  "%s:%d: column 'ipn': '%s' is neither the BOM's "
						  "part for %s (%s) nor an approved alternate",
						  path, r->line, v[P_IPN], list, wk);
			}
			json_decref(wrong);
		}
		json_decref(refdes);
	}
	if (errs.n)
		goto out;
	/* Refdes that stored programs of the same product/rev place already;
	 * then what no program places. */
	{
		const char *key;
		json_t *pl;
		json_object_foreach(placed, key, pl) {
			const char *tab = strchr(key, '\t');
			const char *tab2 = strchr(tab + 1, '\t');
			char product[200], rev[200], bkey[600];
			json_t *other = json_object(), *missing = json_array(), *bom, *keys;
			const char *rd, *pline = tab2 + 1;
			json_t *line;
			size_t i;
			snprintf(product, sizeof(product), "%.*s", (int)(tab - key), key);
			snprintf(rev, sizeof(rev), "%.*s", (int)(tab2 - tab - 1), tab + 1);
			snprintf(bkey, sizeof(bkey), "%s\t%s", product, rev);
			rc = stored_placements(h, product, rev, pline, g, ng, other);
			if (rc) {
				json_decref(other);
				json_decref(missing);
				goto out;
			}
			json_object_foreach(pl, rd, line) {
				json_t *where = json_object_get(other, rd);
				if (where)
					ecms__errlist_add(&errs, (int)json_integer_value(line),
							  "%s:%lld: column 'refdes': %s is placed "
							  "already by %s",
							  path, (long long)json_integer_value(line),
							  rd, json_string_value(where));
			}
			bom = json_object_get(json_object_get(boms, bkey), "refdes");
			keys = sorted_keys(bom);
			for (i = 0; keys && i < json_array_size(keys); i++) {
				const char *r2 = json_string_value(json_array_get(keys, i));
				if (!json_object_get(pl, r2) && !json_object_get(other, r2))
					json_array_append(missing, json_array_get(keys, i));
			}
			json_decref(keys);
			if (json_array_size(missing)) {
				if (flags & ECMS_PROGRAM_COMPLETE) {
					char list[600];
					join(missing, list, sizeof(list));
					ecms__errlist_add(
						&errs, 0,
						"%s: %s rev %s%s%s: %zu BOM reference "
						"designator%s placed by no program: %s",
						path, product, rev, *pline ? " on line " : "",
						pline, json_array_size(missing),
						json_array_size(missing) == 1 ? " is" : "s are",
						list);
				}
				json_array_append_new(unplaced,
						      json_pack("{s:s,s:s,s:s?,s:O}", "product",
								product, "rev", rev, "line",
								*pline ? pline : NULL, "refdes",
								missing));
			}
			json_decref(missing);
			json_decref(other);
		}
	}
	if (errs.n)
		goto out;
	/* Write: the maps (genealogy), the rows, one event if anything changed. */
	if ((rc = ecms__begin(h)))
		goto out;
	{
		int64_t *vers = ecms__calloc(ng, sizeof(*vers));
		const char **changes = ecms__calloc(ng, sizeof(*changes));
		size_t *nref = ecms__calloc(ng, sizeof(*nref));
		int64_t seq = 0;
		bool any = false;
		if (vers == NULL || changes == NULL || nref == NULL)
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		for (size_t i = 0; i < ng && rc == ECMS_OK; i++) {
			rc = program_write(h, &g[i], &vers[i], &changes[i], &nref[i]);
			if (rc == ECMS_OK) {
				any |= strcmp(changes[i], "unchanged") != 0;
				json_array_append_new(
					progs,
					json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s}",
						  "machine", g[i].machine, "program", g[i].program,
						  "product", g[i].product, "rev", g[i].rev, "side",
						  g[i].side, "version", (json_int_t)vers[i],
						  "slots", (json_int_t)json_array_size(g[i].slots),
						  "refdes", (json_int_t)nref[i], "change",
						  changes[i]));
			}
		}
		if (rc == ECMS_OK && any) {
			payload = json_pack("{s:s,s:s,s:O,s:O}", "file", path, "sha256", sha,
					    "programs", progs, "unplaced", unplaced);
			rc = ecms__event(h, "program.imported", json_incref(payload), &seq);
		}
		for (size_t i = 0; i < ng && rc == ECMS_OK && any; i++) {
			if (!strcmp(changes[i], "unchanged"))
				continue;
			rc = ecms__exec(h,
					"DELETE FROM setup_programs WHERE product = ? AND rev = ? "
					"AND side = ? AND machine = ? AND program <> ?",
					"ttttt", g[i].product, g[i].rev, g[i].side, g[i].machine,
					g[i].program);
			if (rc == ECMS_OK)
				rc = ecms__exec(
					h,
					"INSERT INTO setup_programs (machine, program, product, "
					"rev, side, version, nslots, nrefdes, source, updated_seq) "
					"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
					"(machine, program) DO UPDATE SET product = "
					"excluded.product, rev = excluded.rev, side = "
					"excluded.side, "
					"version = excluded.version, nslots = excluded.nslots, "
					"nrefdes = excluded.nrefdes, source = excluded.source, "
					"updated_seq = excluded.updated_seq",
					"tttttiiiti", g[i].machine, g[i].program, g[i].product,
					g[i].rev, g[i].side, vers[i],
					(int64_t)json_array_size(g[i].slots), (int64_t)nref[i], sha,
					seq);
		}
		for (size_t i = 0; i < ng && rc == ECMS_OK; i++) {
			if (!strcmp(changes[i], "created"))
				rep->created++;
			else if (!strcmp(changes[i], "updated"))
				rep->updated++;
			else
				rep->unchanged++;
		}
		ecms__free(vers);
		ecms__free(changes);
		ecms__free(nref);
	}
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK) {
		rep->records = (int)ng;
		if (summary)
			*summary = json_pack("{s:s,s:O,s:O}", "file", path, "programs", progs,
					     "unplaced", unplaced);
	} else {
		memset(rep, 0, sizeof(*rep));
	}
out:
	if (errs.n) {
		rep->nerrors = errs.n;
		rep->errors = ecms__errlist_take(&errs);
		rc = ecms__ctxfail(h, ECMS_EINVAL, NULL, "%s: %d error%s, nothing imported", path,
				   errs.n, errs.n == 1 ? "" : "s");
	}
	ecms__errlist_cleanup(&errs);
	for (size_t i = 0; g && i < ng; i++)
		json_decref(g[i].slots);
	ecms__free(g);
	json_decref(groups);
	json_decref(sidekey);
	json_decref(boms);
	json_decref(placed);
	json_decref(progs);
	json_decref(unplaced);
	json_decref(payload);
	ecms__csv_free(c);
	return rc;
}

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

static const struct ecms__col prog_cols[] = {
	{ "machine", 't' }, { "program", 't' }, { "product", 't' },
	{ "rev", 't' },     { "side", 't' },    { "version", 'i' },
	{ "slots", 'i' },   { "refdes", 'i' },  { "active", 'B' },
};
#define PROG_SELECT                                                                                \
	"SELECT p.machine, p.program, p.product, p.rev, p.side, p.version, p.nslots, "             \
	"p.nrefdes, CASE WHEN a.program IS NULL THEN 0 ELSE 1 END FROM setup_programs p "          \
	"LEFT JOIN setup_active a ON a.machine = p.machine AND a.program = p.program "

int
ecms_program_list(ecms *h, const char *machine, json_t **out)
{
	if (machine)
		return ecms__select_all(h,
					PROG_SELECT "WHERE p.machine = ? ORDER BY p.machine, "
						    "p.program",
					machine, prog_cols, (int)ECMS_ARRAY_LEN(prog_cols), out);
	return ecms__select_all(h, PROG_SELECT "ORDER BY p.machine, p.program", NULL, prog_cols,
				(int)ECMS_ARRAY_LEN(prog_cols), out);
}

int
ecms_program_show(ecms *h, const char *machine, const char *program, json_t **out)
{
	json_t *row = NULL, *prog = NULL;
	char m[ECMS_GEN_NAME_MAX + 1];
	int64_t active = 0;
	int rc;

	*out = NULL;
	if (!program || !*program)
		return ecms__ctxfail(h, ECMS_EUSAGE, "program", "name a program");
	if (machine == NULL) {
		ecms__stmt *st;
		int n = 0;
		char list[600] = "";
		size_t ll = 0;
		rc = ecms__q(h, &st,
			     "SELECT m.name FROM gen_programs g JOIN gen_machines m ON m.id = "
			     "g.machine_id WHERE g.name = ? GROUP BY m.name ORDER BY m.name",
			     "t", program);
		while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
			const char *name = ecms__col_text(st, 0);
			if (n++ == 0)
				ecms__strlcpy(m, name, sizeof(m));
			if (ll < sizeof(list) - 1) {
				int w = snprintf(list + ll, sizeof(list) - ll, "%s%s",
						 n > 1 ? ", " : "", name);
				ll += w > 0 ? (size_t)w : 0;
				if (ll >= sizeof(list))
					ll = sizeof(list) - 1;
			}
			rc = ECMS_OK;
		}
		ecms__done(h, st);
		if (rc != ECMS__DONE && rc != ECMS_OK)
			return rc;
		if (n == 0)
			return ecms__ctxfail(h, ECMS_ENOTFOUND, "program", "no program '%s'",
					     program);
		if (n > 1)
			return ecms__ctxfail(h, ECMS_EUSAGE, "machine",
					     "program '%s' is on %d machines (%s): name one with "
					     "--machine",
					     program, n, list);
		machine = m;
	}
	if ((rc = ecms_gen_program_get(h, program, machine, &prog)))
		return rc;
	{
		ecms__stmt *st;
		rc = ecms__q(h, &st,
			     "SELECT product, rev, side FROM setup_programs WHERE machine = ? AND "
			     "program = ?",
			     "tt", machine, program);
		if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
			row = json_pack("{s:s,s:s,s:s}", "product", ecms__col_text(st, 0), "rev",
					ecms__col_text(st, 1), "side", ecms__col_text(st, 2));
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ECMS_OK;
		}
		ecms__done(h, st);
	}
	if (rc == ECMS_OK) {
		rc = ecms__query_int(h, &active,
				     "SELECT 1 FROM setup_active WHERE machine = ? AND program = ?",
				     "tt", machine, program);
		if (rc == ECMS_ENOTFOUND)
			rc = ECMS_OK, active = 0;
	}
	if (rc) {
		json_decref(row);
		json_decref(prog);
		return rc;
	}
	json_object_set_new(prog, "product",
			    row ? json_incref(json_object_get(row, "product")) : json_null());
	json_object_set_new(prog, "rev",
			    row ? json_incref(json_object_get(row, "rev")) : json_null());
	json_object_set_new(prog, "side",
			    row ? json_incref(json_object_get(row, "side")) : json_null());
	json_object_set_new(prog, "active", json_boolean(active));
	json_decref(row);
	*out = prog;
	return ECMS_OK;
}
