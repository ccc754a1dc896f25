/*
 * fuzz_cfx.c: libFuzzer target for the CFX stream reader. Any bytes
 * (raw or gzip) go through ecms_cfx_reader_new and _next to the end;
 * every string of every decoded message is read, so ASan sees any
 * pointer that does not live as long as its message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/cfx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void
s(const char *p)
{
	if (p)
		sink += strlen(p);
}

static void
t(const ecms_cfx_time *x)
{
	s(x->text);
}

static void
package(const ecms_cfx_package *p)
{
	s(p->uid);
	s(p->ipn);
	s(p->package_name);
	s(p->batch_id);
	s(p->leading_uid);
}

static void
location(const ecms_cfx_location *l)
{
	s(l->location_id);
	s(l->location_name);
	package(&l->package);
	s(l->carrier.type);
	s(l->carrier.unique_id);
	s(l->carrier.name);
	s(l->carrier.base_id);
	s(l->carrier.base_name);
}

static void
measurements(const ecms_cfx_measurement *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s(m[i].type);
		s(m[i].uid);
		s(m[i].name);
		s(m[i].result);
		s(m[i].crds);
		s(m[i].value_units);
		s(m[i].expected_units);
		t(&m[i].recorded);
	}
}

static void
checked_unit(const ecms_cfx_checked_unit *u)
{
	s(u->unit_id);
	s(u->result);
	for (size_t i = 0; i < u->n_checks; i++) {
		const ecms_cfx_check *c = &u->checks[i];

		s(c->uid);
		s(c->name);
		s(c->result);
		t(&c->start);
		t(&c->end);
		for (size_t k = 0; k < c->n_defects; k++) {
			s(c->defects[k].code);
			s(c->defects[k].component);
			s(c->defects[k].part_number);
		}
		for (size_t k = 0; k < c->n_symptoms; k++) {
			for (size_t j = 0; j < c->symptoms[k].n_components; j++)
				s(c->symptoms[k].components[j]);
			measurements(c->symptoms[k].measurements, c->symptoms[k].n_measurements);
		}
		measurements(c->measurements, c->n_measurements);
	}
}

static void
reflow(const ecms_cfx_process_data *pd)
{
	const ecms_cfx_reflow *r = pd->reflow;

	s(pd->type);
	if (r == NULL)
		return;
	s(r->barcode);
	s(r->oven_name);
	t(&r->unit_in);
	for (size_t i = 0; i < r->n_zones; i++) {
		s(r->zones[i].zone_type);
		for (size_t k = 0; k < r->zones[i].n_setpoints; k++)
			s(r->zones[i].setpoints[k].type);
		for (size_t k = 0; k < r->zones[i].n_readings; k++)
			s(r->zones[i].readings[k].sub_zone);
	}
}

static void
walk(const ecms_cfx_msg *m)
{
	const ecms_cfx_units *u = &m->u.arrived;

	s(m->name);
	s(m->unique_id);
	s(m->version);
	s(m->source);
	t(&m->timestamp);
	s(ecms_cfx_kind_name(m->kind));
	switch (m->kind) {
	case ECMS_CFX_MATERIALS_INITIALIZED:
	case ECMS_CFX_MATERIALS_OPENED:
	case ECMS_CFX_MATERIALS_PLACED_IN_DRY_STORAGE:
	case ECMS_CFX_MATERIALS_REMOVED_FROM_DRY_STORAGE:
	case ECMS_CFX_MATERIALS_EXPIRED:
	case ECMS_CFX_MATERIALS_RESTORED:
		for (size_t i = 0; i < m->u.materials.n_materials; i++) {
			const ecms_cfx_package_detail *d = &m->u.materials.materials[i];

			package(&d->pkg);
			s(d->mpn);
			s(d->lot);
			s(d->material_data_type);
			s(d->msd.level);
			t(&d->msd.last_exposure);
			s(d->msd.remaining_text);
		}
		break;
	case ECMS_CFX_MATERIALS_LOADED:
	case ECMS_CFX_MATERIALS_EMPTY:
		for (size_t i = 0; i < m->u.loaded.n_locations; i++)
			location(&m->u.loaded.locations[i]);
		break;
	case ECMS_CFX_MATERIALS_UNLOADED:
		for (size_t i = 0; i < m->u.unloaded.n_uids; i++)
			s(m->u.unloaded.uids[i]);
		break;
	case ECMS_CFX_SPLICE_POINT_DETECTED:
		location(&m->u.splice.depleted);
		location(&m->u.splice.newly_active);
		break;
	case ECMS_CFX_UNITS_ARRIVED:
	case ECMS_CFX_UNITS_DEPARTED:
	case ECMS_CFX_UNITS_DISQUALIFIED:
	case ECMS_CFX_WORK_STARTED:
	case ECMS_CFX_WORK_COMPLETED:
		s(u->transaction_id);
		s(u->work_order_id);
		for (size_t i = 0; i < u->n_units; i++)
			s(u->units[i].unit_id);
		break;
	case ECMS_CFX_MATERIALS_INSTALLED:
	case ECMS_CFX_MATERIALS_UNINSTALLED:
		s(m->u.installed.transaction_id);
		for (size_t i = 0; i < m->u.installed.n_items; i++) {
			const ecms_cfx_install *in = &m->u.installed.items[i];

			s(in->unit_id);
			package(&in->material);
			s(in->location_name);
			s(in->carrier.unique_id);
			for (size_t k = 0; k < in->n_components; k++) {
				s(in->components[k].refdes);
				t(&in->components[k].installed_at);
				s(in->components[k].head_id);
			}
		}
		break;
	case ECMS_CFX_FAULT_OCCURRED:
		s(m->u.fault.type);
		s(m->u.fault.fault_type);
		s(m->u.fault.designator);
		location(&m->u.fault.location);
		break;
	case ECMS_CFX_UNITS_PROCESSED:
		reflow(&m->u.processed.common);
		for (size_t i = 0; i < m->u.processed.n_units; i++)
			reflow(&m->u.processed.units[i].data);
		break;
	case ECMS_CFX_UNITS_INSPECTED:
	case ECMS_CFX_UNITS_TESTED:
		s(m->u.inspected.op.id);
		for (size_t i = 0; i < m->u.inspected.n_units; i++)
			checked_unit(&m->u.inspected.units[i]);
		if (m->u.inspected.has_panel)
			checked_unit(&m->u.inspected.panel);
		break;
	case ECMS_CFX_UNITS_REPAIRED:
		for (size_t i = 0; i < m->u.repaired.n_units; i++)
			for (size_t k = 0; k < m->u.repaired.units[i].n_repairs; k++) {
				const ecms_cfx_repair *r = &m->u.repaired.units[i].repairs[k];

				s(r->component);
				for (size_t j = 0; j < r->n_defect_ids; j++)
					s(r->defect_ids[j]);
			}
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ecms_cfx_reader *r;
	ecms_error e;
	long last_line = 0;

	if (ecms_cfx_reader_new(data, size, (size_t)16 << 20, &r, &e))
		return 0;
	for (;;) {
		ecms_cfx_msg *m = NULL;
		int rc = ecms_cfx_reader_next(r, &m, &e);

		if (rc == ECMS_EINVAL) {
			const ecms_cfx_reject *j = ecms_cfx_reader_reject(r);

			if (j == NULL || strlen(j->text) != j->text_len || j->line < 1)
				abort();
			s(j->reason);
			s(j->message_name);
			s(j->unique_id);
			continue;
		}
		if (rc != ECMS_OK || m == NULL)
			break;
		/* Items come in input order. */
		if (m->line < last_line)
			abort();
		last_line = m->line;
		walk(m);
		ecms_cfx_msg_free(m);
	}
	ecms_cfx_reader_free(r);
	return 0;
}
