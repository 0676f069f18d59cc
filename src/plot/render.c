/*
 * render.c — from a chart to a file: the cairo surface for each format, the bytes in memory,
 * then one atomic write (base_write_file_atomic: a temporary file, fsync, rename), so a reader
 * or a crash never sees half a chart. Also the small public helpers: formats, loading a
 * document.
 *
 * Determinism: PNG and SVG carry nothing but the drawing; a PDF would carry cairo's clock in
 * its CreationDate and ModDate, so pl_pdf_metadata pins both. Font options are set explicitly
 * rather than taken from the machine's fontconfig defaults, so the same document draws the same
 * bytes on any machine with the same cairo and DejaVu.
 */
#include "plot/internal.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

cairo_status_t pl_buf_write(void *closure, const unsigned char *data, unsigned int length)
{
    pl_buf *b = closure;
    if (b->oom)
        return CAIRO_STATUS_NO_MEMORY;
    if (b->len + length > b->cap) { /* (a NULL buffer holding nothing is not out of memory) */
        unsigned char *d = base_grow(b->data, &b->cap, b->len + length, 1, 65536);
        if (!d) {
            b->oom = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        b->data = d;
    }
    memcpy(b->data + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

void pl_pdf_metadata(cairo_surface_t *s, const char *title)
{
    /* a fixed instant, not the clock: the same report must give the same bytes (the content
     * does not depend on when it was drawn, so no date would be truer) */
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "simulate " SIMULATE_VERSION);
}

void pl_font_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

int pl_cairo_check(cairo_t *cr, const char *path, base_err *err)
{
    cairo_status_t cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(cairo_get_target(cr));
    if (cs == CAIRO_STATUS_SUCCESS)
        return BASE_OK;
    return base_err_set(err, cs == CAIRO_STATUS_NO_MEMORY ? BASE_ENOMEM : BASE_EINTERNAL, path, 0,
                        0, "cairo: %s", cairo_status_to_string(cs));
}

const char *plot_format_ext(plot_format fmt)
{
    switch (fmt) {
    case PLOT_SVG: return "svg";
    case PLOT_PDF: return "pdf";
    case PLOT_PNG:
    default: return "png";
    }
}

int plot_parse_format(const char *text, plot_format *out, base_err *err)
{
    static const plot_format all[] = {PLOT_PNG, PLOT_SVG, PLOT_PDF};
    for (size_t i = 0; text && i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(text, plot_format_ext(all[i])) == 0) {
            *out = all[i];
            return BASE_OK;
        }
    return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                        "unknown chart format '%s'; the formats are: png, svg, pdf",
                        text ? text : "");
}

int plot_load(const char *path, json_t **out, base_err *err)
{
    *out = NULL;
    json_error_t je;
    FILE *f;
    int st = base_open_regular(path, 0, &f, err); /* a FIFO would block forever */
    if (st != BASE_OK)
        return st;
    json_t *doc = json_loadf(f, 0, &je);
    fclose(f);
    if (!doc) {
        return base_err_set(err, BASE_EINPUT, path, je.line > 0 ? je.line : 0,
                            je.column > 0 ? je.column : 0, "not valid JSON: %s", je.text);
    }
    if (plot_doc_kind_of(doc) == PLOT_DOC_UNKNOWN) {
        json_decref(doc);
        return base_err_set(err, BASE_EINPUT, path, 0, 0,
                            "neither a report.json nor a compare.json (no `figures`, `series` "
                            "or `variants`)");
    }
    *out = doc;
    return BASE_OK;
}

/* cairo 1.16 names an SVG's top-level group after the surface's process-wide serial number
 * (`<g id="surface6">` for the sixth surface the process made), so the same chart drawn twice
 * in one process would differ in that one attribute. Renumber every `surfaceN` id, and its
 * references, in order of first appearance: the bytes then depend on the chart alone. */
static int svg_normalise(pl_buf *b)
{
    static const char tok[] = "surface";
    const size_t tl = sizeof tok - 1;
    unsigned long seen[64];
    size_t nseen = 0;
    /* an id is at least 8 bytes ("surface1") and grows by at most one digit (to 64) */
    size_t cap = b->len + b->len / 8 + 64;
    unsigned char *out = malloc(cap);
    if (!out)
        return BASE_ENOMEM;
    size_t o = 0, i = 0;
    while (i < b->len) {
        int at_id = i + tl < b->len && memcmp(b->data + i, tok, tl) == 0 && i > 0 &&
                    (b->data[i - 1] == '"' || b->data[i - 1] == '#') && b->data[i + tl] >= '0' &&
                    b->data[i + tl] <= '9';
        if (!at_id) {
            out[o++] = b->data[i++];
            continue;
        }
        size_t j = i + tl;
        unsigned long v = 0;
        while (j < b->len && b->data[j] >= '0' && b->data[j] <= '9' && v < 100000000UL)
            v = v * 10 + (unsigned long)(b->data[j++] - '0');
        size_t k = 0;
        while (k < nseen && seen[k] != v)
            k++;
        if (k == nseen && nseen < 64)
            seen[nseen++] = v;
        if (k >= 64) { /* more surfaces than a chart ever makes: leave the rest as they are */
            memcpy(out + o, b->data + i, j - i);
            o += j - i;
        } else {
            char id[32];
            int n = snprintf(id, sizeof id, "%s%zu", tok, k + 1);
            memcpy(out + o, id, (size_t)n);
            o += (size_t)n;
        }
        i = j;
    }
    free(b->data);
    b->data = out;
    b->len = o;
    b->cap = cap;
    return BASE_OK;
}

int plot_chart_sized(const plot_set *set, const json_t *doc, const char *name, plot_format fmt,
                     double width, double height, const char *path, base_err *err)
{
    if (!(width >= 400 && width <= 10000 && height >= 300 && height <= 10000))
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "chart size %gx%g is outside 400x300 to 10000x10000", width, height);
    if (!path || !*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "no output path for chart '%s'",
                            name ? name : "");
    pl_buf buf = {0};
    cairo_surface_t *s;
    if (fmt == PLOT_PNG) {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(width), (int)ceil(height));
    } else if (fmt == PLOT_SVG) {
        s = cairo_svg_surface_create_for_stream(pl_buf_write, &buf, width, height);
    } else {
        s = cairo_pdf_surface_create_for_stream(pl_buf_write, &buf, width, height);
        char title[300];
        pl_doc_name(doc, title, sizeof title);
        size_t len = strlen(title);
        snprintf(title + len, sizeof title - len, " — %s", name ? name : "");
        pl_pdf_metadata(s, title);
    }
    cairo_t *cr = cairo_create(s);
    pl_font_options(cr);
    int st = pl_chart_draw(cr, width, height, set, doc, name, err);
    if (st == BASE_OK)
        st = pl_cairo_check(cr, path, err);
    cairo_destroy(cr);
    if (st == BASE_OK && fmt == PLOT_PNG) {
        cairo_status_t cs = cairo_surface_write_to_png_stream(s, pl_buf_write, &buf);
        if (cs != CAIRO_STATUS_SUCCESS)
            st = base_err_set(err, buf.oom ? BASE_ENOMEM : BASE_EINTERNAL, path, 0, 0, "cairo: %s",
                              cairo_status_to_string(cs));
    }
    cairo_surface_finish(s); /* SVG and PDF write their last bytes here */
    if (st == BASE_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        st = base_err_set(err, buf.oom ? BASE_ENOMEM : BASE_EINTERNAL, path, 0, 0, "cairo: %s",
                          cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    if (st == BASE_OK && buf.oom)
        st = base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory rendering the chart");
    if (st == BASE_OK && fmt == PLOT_SVG && svg_normalise(&buf) != BASE_OK)
        st = base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory rendering the chart");
    if (st == BASE_OK)
        st = base_write_file_atomic(path, buf.data, buf.len, err);
    free(buf.data);
    return st;
}

int plot_chart(const plot_set *set, const json_t *doc, const char *name, plot_format fmt,
               const char *path, base_err *err)
{
    return plot_chart_sized(set, doc, name, fmt, PLOT_WIDTH, PLOT_HEIGHT, path, err);
}

int plot_all(const plot_set *set, const json_t *doc, const char *dir, plot_format fmt,
             base_err *err)
{
    plot_doc_kind kind;
    int known = pl_doc_kind(doc, &kind, err);
    if (known != BASE_OK)
        return known;
    const char *names[64];
    size_t n = plot_chart_names(set, doc, names, 64);
    if (n == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the document has nothing to chart (no series, cost figures or "
                            "variants)");
    int st = base_mkdir_p(dir, err);
    for (size_t i = 0; i < n && i < 64 && st == BASE_OK; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 8;
        char *path = malloc(len);
        if (!path)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        snprintf(path, len, "%s/%s.%s", dir, names[i], plot_format_ext(fmt));
        st = plot_chart(set, doc, names[i], fmt, path, err);
        free(path);
    }
    return st;
}
