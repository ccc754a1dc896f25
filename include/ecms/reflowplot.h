/*
 * reflowplot.h: the reflow profile as a plot, drawn with cairo:
 * temperature over time, one coloured line per thermocouple with a
 * legend, the soak band and the peak window shaded, the liquidus line
 * dashed, the peak marked, axes with ticks and labels in °C and s.
 * Whole files (SVG, PNG, PDF) or onto a caller's cairo context (for a
 * report page).
 */
#ifndef ECMS_REFLOWPLOT_H
#define ECMS_REFLOWPLOT_H

#include <stddef.h>

#include <cairo.h>

#include "ecms/ecms.h"
#include "ecms/reflow.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ecms_reflow_plot_fmt {
	ECMS_REFLOW_PLOT_SVG,
	ECMS_REFLOW_PLOT_PNG,
	ECMS_REFLOW_PLOT_PDF
};

#define ECMS_REFLOW_PLOT_MIN_PT 100.0  /* plot width and height, points */
#define ECMS_REFLOW_PLOT_MAX_PT 2000.0 /* a PNG of 4000 x 4000 px */
#define ECMS_REFLOW_PLOT_PNG_PX_PER_PT 2.0 /* PNG resolution: 144 dpi */
#define ECMS_REFLOW_PLOT_MAX_BYTES ((size_t)64 << 20)

/*
 * Draw the plot of p into the rectangle (x, y, w, h) of cr, in cr's user
 * units (points on a PDF page). win gives the liquidus, soak band and
 * peak window (NULL: defaults); m the peak marker and title figures
 * (NULL: computed from p with win). The state of cr is saved and
 * restored. Curves with many samples are reduced to the min and max per
 * half point of width, so peaks survive. The rectangle needs at least
 * ECMS_REFLOW_PLOT_MIN_PT x ECMS_REFLOW_PLOT_MIN_PT / 2 units.
 * ECMS_EINVAL for an invalid profile or window, metrics not of this
 * profile, or a rectangle too small; ECMS_ENOMEM; ECMS_EINTERNAL when
 * cairo fails (its message is given).
 */
int ecms_reflow_plot_draw(cairo_t *cr, double x, double y, double w, double h,
			  const struct ecms_reflow_profile *p,
			  const struct ecms_reflow_window *win,
			  const struct ecms_reflow_metrics *m,
			  ecms_error *err) ECMS_WUR;

/*
 * The plot as a whole file of width_pt x height_pt points (each within
 * ECMS_REFLOW_PLOT_MIN_PT..MAX_PT): an SVG 1.1 document, a PNG at
 * ECMS_REFLOW_PLOT_PNG_PX_PER_PT pixels per point, or a one-page PDF.
 * The same input gives the same bytes (surface ids in the SVG are
 * renumbered, the PDF carries no creation date). *out is owned by the
 * caller (ecms_free), *len its length. Errors as ecms_reflow_plot_draw,
 * and ECMS_EINVAL for an unknown format, a size out of range or output
 * above ECMS_REFLOW_PLOT_MAX_BYTES.
 */
int ecms_reflow_plot(const struct ecms_reflow_profile *p,
		     const struct ecms_reflow_window *win,
		     const struct ecms_reflow_metrics *m,
		     enum ecms_reflow_plot_fmt fmt, double width_pt, double height_pt,
		     unsigned char **out /* OUT */, size_t *len /* OUT */,
		     ecms_error *err) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_REFLOWPLOT_H */
