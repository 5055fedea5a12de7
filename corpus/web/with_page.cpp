// The co-occurrence page: who is named together with an entity, bucket by bucket, each count a
// link to the articles that name both in that bucket.
#include <fmt/format.h>

#include "panmun/korean.hpp"
#include "web_internal.hpp"

namespace panmun::web {
namespace {

std::string with_query(const std::string& archive, const std::string& e, const std::string& q,
                       const std::string& by, const std::string& from, const std::string& to) {
    std::string url = "/with?e=" + url::encode(e);
    if (!q.empty()) url += "&q=" + url::encode(q);
    if (!by.empty() && by != "auto") url += "&by=" + url::encode(by);
    if (!from.empty()) url += "&from=" + url::encode(from);
    if (!to.empty()) url += "&to=" + url::encode(to);
    if (!archive.empty()) url += "&archive=" + url::encode(archive);
    return url;
}

// The search for the articles of a cell: the page's query, the entity, the other one, the bucket.
std::string cell_url(const WithPage& page, const std::string& other, const std::string& bucket) {
    SearchState s;
    s.archive = page.archive;
    s.q = page.q;
    s.filters.push_back(page.e);
    if (!other.empty() && other != page.e) s.filters.push_back(other);
    if (bucket != "undated") s.from = s.to = bucket;
    if (bucket.empty()) {
        s.from = page.from;
        s.to = page.to;
    }
    return s.url();
}

}  // namespace

std::string with_url(const SearchState& state, const std::string& filter) {
    return with_query(state.archive, filter, state.q, "", state.from, state.to);
}

std::string render_with(const Site& site, const WithPage& asked) {
    const CooccurrenceResult* r = asked.result;
    // Links name the entity by its id ("person:김정은" asked is person:kim-jong-un): the search
    // page's filters take ids.
    WithPage page = asked;
    if (r) page.e = std::string(entity_type_name(r->entity->type)) + ":" + r->entity->id;
    const std::string lang =
        korean::has_korean(page.q) || korean::has_korean(asked.e) ? "ko" : "en";
    const std::string who = r ? r->entity->name_in(lang) : page.e;
    SearchState none;
    none.archive = page.archive;
    none.q = page.q;
    std::string html = head("Named with " + who + " – panmun") + header(site, none, "", 0);
    html += "<main id=\"main\" tabindex=\"-1\" class=\"with\">\n<h1>Named with " +
            html_escape(who) + "</h1>\n";
    // The form: the same entity, another query or granularity.
    html +=
        "<form class=\"with-form\" action=\"/with\" method=\"get\">"
        "<input type=\"hidden\" name=\"e\" value=\"" +
        html_escape(page.e) + "\">";
    if (!page.archive.empty())
        html +=
            "<input type=\"hidden\" name=\"archive\" value=\"" + html_escape(page.archive) + "\">";
    html +=
        "<label for=\"with-q\">Only articles matching</label> <input id=\"with-q\" "
        "name=\"q\" type=\"search\" value=\"" +
        html_escape(page.q) +
        "\"> <label for=\"with-by\">by</label> <select id=\"with-by\" name=\"by\">";
    for (const char* by : {"auto", "year", "month", "day"})
        html +=
            std::string("<option") + (page.by == by ? " selected" : "") + ">" + by + "</option>";
    html += "</select> <button type=\"submit\">Count</button></form>\n";
    if (!page.error.empty()) {
        html += "<p class=\"error\" role=\"alert\">" + html_escape(page.error) + "</p>\n</main>\n";
        return html + footer(site, 0, "");
    }
    html += "<p class=\"summary\" role=\"status\"><a href=\"" +
            html_escape(cell_url(page, "", "")) + "\">" + grouped(r->documents) + " " +
            (r->documents == 1 ? "article" : "articles") + "</a> name " + html_escape(who) +
            (page.q.empty() ? "" : " and match " + html_escape(page.q)) + " · counted by " +
            std::string(bucket_name(r->by)) + " · <a href=\"/api/cooccurrence?" +
            html_escape(
                with_query(page.archive, page.e, page.q, page.by, page.from, page.to).substr(6)) +
            "\">JSON</a></p>\n";
    if (r->rows.empty()) {
        html += "<p class=\"none\">No other entity is named in them.</p>\n</main>\n";
        return html + footer(site, 0, "");
    }
    // Entities down, every bucket across (the table scrolls sideways when they are many).
    html +=
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Co-occurrence "
        "table\"><table class=\"cooccurrence\">\n<caption>Articles naming " +
        html_escape(who) + " and each entity, by " + std::string(bucket_name(r->by)) +
        "</caption>\n<thead><tr><th scope=\"col\">Entity</th><th scope=\"col\">all</th>";
    for (const std::string& b : r->buckets) html += "<th scope=\"col\">" + html_escape(b) + "</th>";
    html += "</tr></thead>\n<tbody>\n<tr class=\"totals\"><th scope=\"row\">" + html_escape(who) +
            "</th><td><a href=\"" + html_escape(cell_url(page, "", "")) + "\">" +
            grouped(r->documents) + "</a></td>";
    for (std::size_t b = 0; b < r->buckets.size(); ++b)
        html += r->totals[b] ? "<td><a href=\"" + html_escape(cell_url(page, "", r->buckets[b])) +
                                   "\">" + grouped(r->totals[b]) + "</a></td>"
                             : std::string("<td class=\"zero\">0</td>");
    html += "</tr>\n";
    for (const CooccurrenceRow& row : r->rows) {
        const std::string filter = std::string(entity_type_name(row.type)) + ":" + row.id;
        const std::string name = row.entity ? row.entity->name_in(lang) : row.id;
        html += "<tr><th scope=\"row\"><a href=\"" +
                html_escape(with_query(page.archive, filter, page.q, page.by, page.from, page.to)) +
                "\" title=\"Who is named with " + html_escape(name) + "\">" + html_escape(name) +
                "</a> <span class=\"type\">" + std::string(entity_type_name(row.type)) +
                "</span></th><td><a href=\"" + html_escape(cell_url(page, filter, "")) + "\">" +
                grouped(row.documents) + "</a></td>";
        for (std::size_t b = 0; b < r->buckets.size(); ++b) {
            const Xapian::doccount n = row.counts[b];
            // The share of the bucket's articles as a shade (s1 to s5, fifths): who joins the
            // circle and who leaves it shows across a row.
            const double share =
                r->totals[b] ? static_cast<double>(n) / static_cast<double>(r->totals[b]) : 0;
            html +=
                n ? fmt::format(
                        "<td class=\"s{}\" title=\"{} of {} ({:.0f}%)\">"
                        "<a href=\"{}\">{}</a></td>",
                        std::min(5, 1 + static_cast<int>(share * 5)), n, r->totals[b], 100 * share,
                        html_escape(cell_url(page, filter, r->buckets[b])), grouped(n))
                  : std::string("<td class=\"zero\">0</td>");
        }
        html += "</tr>\n";
    }
    html += "</tbody>\n</table></div>\n</main>\n";
    return html + footer(site, 0, "");
}

}  // namespace panmun::web
