// The pages of the web interface, rendered on the server so that they work without JavaScript
// (assets/app.js adds keys, the timeline's drag and live query checks): the search page with
// hits, facets, chips and the timeline; a document with its entities and precedents; messages.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "panmun/errors.hpp"
#include "panmun/korean.hpp"
#include "panmun/unicode.hpp"
#include "query_options.hpp"
#include "results.hpp"
#include "web_internal.hpp"

namespace panmun::web {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    return out;
}

void check_date(const std::string& name, const std::string& value) {
    if (value.empty()) return;
    std::string checked = value;
    const std::string problem = cli::date_value()(checked);
    if (!problem.empty()) throw UsageError("parameter '" + name + "': " + problem);
}

SortOrder sort_order(const std::string& value) {
    static const std::map<std::string, SortOrder> sorts = {{"relevance", SortOrder::relevance},
                                                           {"date", SortOrder::date},
                                                           {"-date", SortOrder::newest}};
    auto it = sorts.find(value);
    if (it == sorts.end())
        throw UsageError("parameter 'sort' must be relevance, date or -date, not '" + value + "'");
    return it->second;
}

namespace {

const char* const entity_facets[] = {"person", "org", "place", "event"};
const char* const facet_titles[] = {"People", "Organisations", "Places", "Events"};

bool valid_filter(const std::string& f) {
    const auto colon = f.find(':');
    if (colon == std::string::npos || colon + 1 == f.size()) return false;
    const std::string type = f.substr(0, colon);
    if (std::find(std::begin(entity_facets), std::end(entity_facets), type) ==
        std::end(entity_facets))
        return false;
    return f.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-", colon + 1) ==
           std::string::npos;
}

}  // namespace

std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

SearchState SearchState::from_request(const HttpRequest& req, std::size_t max_query) {
    SearchState s;
    s.archive = req.param("archive");
    s.q = req.param("q");
    if (s.q.size() > max_query)
        throw UsageError("the query is too long (" + std::to_string(s.q.size()) +
                         " bytes; at most " + std::to_string(max_query) + ")");
    for (const std::string& f : req.params_named("f")) {
        if (!valid_filter(f))
            throw UsageError(
                "parameter 'f' must be an entity filter such as person:kim-jong-un, "
                "not '" +
                f + "'");
        if (std::find(s.filters.begin(), s.filters.end(), f) == s.filters.end())
            s.filters.push_back(f);
    }
    s.from = req.param("from");
    s.to = req.param("to");
    check_date("from", s.from);
    check_date("to", s.to);
    s.sort = req.param("sort", "relevance");
    sort_order(s.sort);  // checks it
    const std::string page = req.param("page", "1");
    if (page.empty() || page.size() > 6 ||
        page.find_first_not_of("0123456789") != std::string::npos || std::stoul(page) < 1)
        throw UsageError("parameter 'page' must be a page number (1, 2, …), not '" + page + "'");
    s.page = static_cast<unsigned>(std::stoul(page));
    s.collapse = req.param("collapse") == "1";
    s.share = req.param("share") == "1";
    return s;
}

std::string SearchState::query() const {
    std::string out = q;
    for (const std::string& f : filters) out += (out.empty() ? "" : " ") + f;
    return out;
}

std::string SearchState::url() const {
    std::string out;
    auto add = [&](const char* name, const std::string& value) {
        out += (out.empty() ? "?" : "&") + std::string(name) + "=" + url::encode(value);
    };
    if (!archive.empty()) add("archive", archive);
    if (!q.empty()) add("q", q);
    for (const std::string& f : filters) add("f", f);
    if (!from.empty()) add("from", from);
    if (!to.empty()) add("to", to);
    if (sort != "relevance") add("sort", sort);
    if (collapse) add("collapse", "1");
    if (share) add("share", "1");
    if (page != 1) add("page", std::to_string(page));
    return "/search" + out;
}

SearchRequest SearchState::request(double time_limit) const {
    SearchRequest r;
    r.query = query();
    cli::SearchOptions o;
    o.from = from;
    o.to = to;
    o.sort = sort_order(sort);
    o.collapse = collapse;
    o.facets = "person,org,place,event,date";
    o.share = share;
    o.apply(r);
    r.limit = per_page;
    r.offset = (page - 1) * per_page;
    r.time_limit = time_limit;
    return r;
}

std::string head(const std::string& title) {
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"color-scheme\" content=\"light dark\">\n<title>" +
           html_escape(title) +
           "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
           "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
           "<a class=\"skip\" href=\"#main\">Skip to results</a>\n";
}

// The header with the search form; `state` fills it.
std::string header(const Site& site, const SearchState& state, const std::string& error,
                   std::size_t column) {
    std::string h = "<header role=\"banner\">\n<a class=\"brand\" href=\"/" +
                    (state.archive.empty() ? "" : "?archive=" + url::encode(state.archive)) +
                    "\">panmun</a>\n<form role=\"search\" action=\"/search\" method=\"get\" "
                    "id=\"search-form\">\n<label for=\"q\">Search the archive</label>\n"
                    "<div class=\"box\"><input id=\"q\" name=\"q\" type=\"search\" value=\"" +
                    html_escape(state.q) +
                    "\" autocomplete=\"off\" spellcheck=\"false\" "
                    "aria-describedby=\"query-help query-error\"" +
                    (error.empty() ? "" : " aria-invalid=\"true\"") +
                    ">\n<button type=\"submit\">Search</button></div>\n";
    if (!state.archive.empty())
        h += "<input type=\"hidden\" name=\"archive\" value=\"" + html_escape(state.archive) +
             "\">\n";
    for (const std::string& f : state.filters)
        h += "<input type=\"hidden\" name=\"f\" value=\"" + html_escape(f) + "\">\n";
    for (auto [name, value] : {std::pair{"from", state.from}, std::pair{"to", state.to}})
        if (!value.empty())
            h += std::string("<input type=\"hidden\" name=\"") + name + "\" value=\"" +
                 html_escape(value) + "\">\n";
    h += "<label for=\"sort\" class=\"inline\">Order</label> <select id=\"sort\" name=\"sort\">";
    for (auto [value, label] :
         {std::pair{"relevance", "best match"}, std::pair{"date", "oldest first"},
          std::pair{"-date", "newest first"}})
        h += std::string("<option value=\"") + value + "\"" +
             (state.sort == value ? " selected" : "") + ">" + label + "</option>";
    h += "</select>\n<p id=\"query-help\" class=\"help\">Words, \"phrases\", OR, NOT, NEAR/5, "
         "person:kim-jong-un, date:2013..2018. Keys: <kbd>/</kbd> search, <kbd>j</kbd> "
         "<kbd>k</kbd> move, <kbd>Enter</kbd> open.</p>\n<div id=\"query-error\" class=\"error\" "
         "role=\"alert\"" +
         std::string(error.empty() ? " hidden" : "") + ">";
    if (!error.empty()) {
        const std::string first = error.substr(0, error.find('\n'));
        h += "<p>" + html_escape(first) + "</p>";
        if (column) {  // the query with the character at the column marked
            const std::string& q = state.query();
            std::size_t at = 0;
            for (std::size_t chars = 1; at < q.size() && chars < column; ++chars)
                at += unicode::sequence_length(q, at);
            const std::size_t end = at < q.size() ? at + unicode::sequence_length(q, at) : at;
            h += "<pre>" + html_escape(q.substr(0, at)) + "<mark class=\"at\">" +
                 (end > at ? html_escape(q.substr(at, end - at)) : "&nbsp;") + "</mark>" +
                 html_escape(q.substr(end)) + "</pre>";
        }
    }
    h += "</div>\n</form>\n";
    if (site.archives.size() > 1) {
        h += "<nav aria-label=\"Archives\" class=\"archives\">";
        for (const std::string& a : site.archives)
            h += "<a href=\"/?archive=" + url::encode(a) + "\"" +
                 (a == site.archive ? " aria-current=\"page\"" : "") + ">" + html_escape(a) +
                 "</a> ";
        h += "</nav>\n";
    }
    return h + "</header>\n";
}

namespace {

std::string snippet_html(const Hit& h) {
    std::string out;
    std::size_t at = 0;
    for (const Span& s : h.highlights) {
        if (s.begin < at || s.end > h.plain_snippet.size()) continue;
        out += html_escape(h.plain_snippet.substr(at, s.begin - at)) + "<mark>" +
               html_escape(h.plain_snippet.substr(s.begin, s.end - s.begin)) + "</mark>";
        at = s.end;
    }
    return out + html_escape(h.plain_snippet.substr(std::min(at, h.plain_snippet.size())));
}

// A document's page in `archive` (default: the archive shown).
std::string doc_url(const Site& site, const std::string& id, const std::string& archive = {}) {
    const std::string& in = archive.empty() ? site.archive : archive;
    return "/doc/" + url::encode(id) +
           (in == site.archives.front() ? "" : "?archive=" + url::encode(in));
}

std::string hit_html(const Site& site, const Hit& h) {
    const Document& d = h.document;
    std::string li =
        "<li class=\"hit\"><article" + std::string(d.lang == "ko" ? " lang=\"ko\"" : "") +
        ">\n<h3><a class=\"title\" href=\"" + doc_url(site, d.id, h.archive) + "\">" +
        html_escape(d.title.empty() ? "(untitled)" : d.title) + "</a></h3>\n<p class=\"meta\">";
    li += d.date.is_set() ? "<time datetime=\"" + d.date.iso() + "\">" + d.date.iso() + "</time>"
                          : std::string("undated");
    if (!d.source.empty()) li += " · " + html_escape(d.source);
    if (h.duplicates)
        li += " · +" + std::to_string(h.duplicates) +
              (h.duplicates == 1 ? " near-duplicate" : " near-duplicates");
    li += " · <a class=\"permalink\" href=\"" + doc_url(site, d.id, h.archive) + "\">" +
          html_escape(d.id) + "</a>";
    // In the view of several archives searched as one: the archive it came from.
    if (!h.archive.empty())
        li += " · in <span class=\"archive\">" + html_escape(h.archive) + "</span>";
    if (!d.url.empty())
        li += " · <a href=\"" + html_escape(d.url) + "\" rel=\"noreferrer\">original</a>";
    return li + "</p>\n<p class=\"snippet\">" + snippet_html(h) + "</p>\n</article></li>\n";
}

// The timeline: one bar per bucket, each a link that narrows the search to it; app.js lets a
// drag across bars choose a range.
std::string timeline_html(const SearchState& state, const Facets& f) {
    if (f.dates.empty()) return {};
    // Bars of counts, or with share=1 of each bucket's matches among all its articles: a rising
    // count can be a rising volume.
    auto value = [&](const DateCount& d) {
        return state.share ? cli::share_of(d) : static_cast<double>(d.count);
    };
    double most = 0;
    for (const DateCount& d : f.dates) most = std::max(most, value(d));
    if (most <= 0) most = 1;
    SearchState other = state;
    other.share = !state.share;
    const std::string toggle =
        "<a class=\"share-toggle\" href=\"" + html_escape(other.url()) + "\">" +
        (state.share ? "show counts" : "show as a share of all articles") + "</a>";
    const double width = 1000, height = 120, bar = width / static_cast<double>(f.dates.size());
    const std::string by(bucket_name(f.by));
    std::string svg = fmt::format(
        "<section class=\"timeline\" aria-labelledby=\"timeline-title\">\n<h2 "
        "id=\"timeline-title\">"
        "Timeline <span class=\"by\">by {}{}</span> {}</h2>\n<svg viewBox=\"0 0 {} {}\" "
        "preserveAspectRatio=\"none\" role=\"group\" aria-label=\"Articles by {}; choose a bar "
        "or drag across bars\" data-by=\"{}\">\n",
        by, state.share ? ", as a share of all articles" : "", toggle, width, height + 18, by, by);
    for (std::size_t i = 0; i < f.dates.size(); ++i) {
        const DateCount& d = f.dates[i];
        SearchState narrowed = state;
        narrowed.from = narrowed.to = d.bucket;
        narrowed.page = 1;
        const double h = d.count ? std::max(2.0, height * value(d) / most) : 0;
        const std::string said =
            fmt::format("{} article{}", d.count, d.count == 1 ? "" : "s") +
            (state.share ? fmt::format(" of {} ({:.2f}%)", d.all, 100 * cli::share_of(d)) : "");
        svg += fmt::format(
            "<a href=\"{}\" data-bucket=\"{}\" aria-label=\"{}: {}\"><rect x=\"{:.2f}\" "
            "y=\"0\" width=\"{:.2f}\" height=\"{}\" class=\"hitbox\"/><rect x=\"{:.2f}\" "
            "y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" class=\"bar\"><title>{}: {}</title>"
            "</rect></a>\n",
            html_escape(narrowed.url()), d.bucket, d.bucket, said, i * bar, bar, height,
            i * bar + bar * 0.1, height - h, bar * 0.8, h, d.bucket, said);
    }
    // Labels: the first bucket, the last, and one in the middle.
    std::vector<std::size_t> labels = {0};
    if (f.dates.size() > 2) labels.push_back(f.dates.size() / 2);
    if (f.dates.size() > 1) labels.push_back(f.dates.size() - 1);
    for (std::size_t i : labels)
        svg += fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n",
                           i == 0                    ? 0.0
                           : i + 1 == f.dates.size() ? width
                                                     : (i + 0.5) * bar,
                           height + 15,
                           i == 0                    ? "start"
                           : i + 1 == f.dates.size() ? "end"
                                                     : "middle",
                           f.dates[i].bucket);
    svg += "</svg>\n";
    if (f.undated) svg += "<p class=\"undated\">" + grouped(f.undated) + " undated</p>\n";
    return svg + "</section>\n";
}

std::string chips_html(const SearchState& state, const SearchResult* result,
                       std::string_view lang) {
    std::string out;
    for (const std::string& f : state.filters) {
        SearchState without = state;
        without.filters.erase(std::find(without.filters.begin(), without.filters.end(), f));
        without.page = 1;
        std::string name = f;
        if (result)
            for (const auto& list : result->facets.entities)
                for (const EntityCount& c : list)
                    if (f == std::string(entity_type_name(c.type)) + ":" + c.id && c.entity)
                        name = c.entity->name_in(lang);
        out += "<li><a class=\"chip\" href=\"" + html_escape(without.url()) +
               "\" aria-label=\"Remove filter " + html_escape(name) + "\">" + html_escape(name) +
               " <span aria-hidden=\"true\">×</span></a></li>";
    }
    if (!state.from.empty() || !state.to.empty()) {
        SearchState without = state;
        without.from.clear();
        without.to.clear();
        without.page = 1;
        const std::string range = state.from == state.to
                                      ? state.from
                                      : (state.from.empty() ? "…" : state.from) + " – " +
                                            (state.to.empty() ? "…" : state.to);
        out += "<li><a class=\"chip\" href=\"" + html_escape(without.url()) +
               "\" aria-label=\"Remove dates " + html_escape(range) + "\">" + html_escape(range) +
               " <span aria-hidden=\"true\">×</span></a></li>";
    }
    return out.empty() ? out : "<ul class=\"chips\" aria-label=\"Filters\">" + out + "</ul>\n";
}

// `with_links`: whether each entity links to who is named with it (not over a remote shard).
std::string facets_html(const SearchState& state, const SearchResult& result, std::string_view lang,
                        bool with_links) {
    std::string out = "<aside class=\"facets\" aria-label=\"Facets\">\n";
    for (int t = 0; t < 4; ++t) {
        const auto& list = result.facets.entities[t];
        out += std::string("<section class=\"facet\" data-facet=\"") + entity_facets[t] +
               "\"><h2>" + facet_titles[t] + "</h2>";
        if (list.empty())
            out += "<p class=\"none\">none</p>";
        else
            out += "<ul>";
        for (const EntityCount& c : list) {
            const std::string filter = std::string(entity_facets[t]) + ":" + c.id;
            const bool on = std::find(state.filters.begin(), state.filters.end(), filter) !=
                            state.filters.end();
            SearchState with = state;
            if (!on) with.filters.push_back(filter);
            with.page = 1;
            const std::string name = c.entity ? c.entity->name_in(lang) : c.id;
            out += "<li><a href=\"" + html_escape(with.url()) + "\" data-filter=\"" + filter +
                   "\"" + (on ? " aria-current=\"true\"" : "") + "><span class=\"name\">" +
                   html_escape(name) + "</span> <span class=\"count\">" + grouped(c.count) +
                   "</span></a>";
            if (with_links)
                out += " <a class=\"with\" href=\"" + html_escape(with_url(state, filter)) +
                       "\" title=\"Who is named with " + html_escape(name) +
                       ", year by year\" aria-label=\"Named with " + html_escape(name) +
                       "\">with…</a>";
            out += "</li>";
        }
        if (!list.empty()) out += "</ul>";
        out += "</section>\n";
    }
    return out + "</aside>\n";
}

}  // namespace

std::string footer(const Site& site, std::uint64_t documents, const std::string& export_query) {
    std::string f = "<footer role=\"contentinfo\"><p>panmun · " + html_escape(site.archive);
    if (documents) f += " · " + grouped(documents) + " articles";
    if (!export_query.empty())
        f += " · this result set as <a href=\"/api/export?format=csv&amp;" + export_query +
             "\">CSV</a> or <a href=\"/api/export?format=jsonl&amp;" + export_query +
             "\">JSON Lines</a>";
    return f + "</p></footer>\n</body>\n</html>\n";
}

std::string render_search(const Site& site, const SearchPage& page) {
    const SearchState& s = page.state;
    const std::string lang = cli::facet_language("", s.q);
    std::string html = head(s.empty() ? "panmun" : s.query() + " – panmun") +
                       header(site, s, page.error, page.error_column);
    html += "<div class=\"layout\">\n<main id=\"main\" tabindex=\"-1\">\n";
    html += chips_html(s, page.result, lang);
    std::string export_query;
    if (!page.result) {
        if (page.error.empty())
            html += "<p class=\"summary\">Search " + grouped(page.documents) +
                    " articles: for example <a href=\"/search?q=hotline\">hotline</a>, <a "
                    "href=\"/search?q=%22military+hotline%22\">\"military hotline\"</a>, <a "
                    "href=\"/search?q=%EB%B6%81%ED%95%9C\">북한</a>.</p>\n";
        html += "</main>\n</div>\n";
        return html + footer(site, page.documents, export_query);
    }
    const SearchResult& r = *page.result;
    SearchRequest asked = s.request(0);
    export_query = "q=" + url::encode(s.query());
    if (!s.archive.empty()) export_query += "&amp;archive=" + url::encode(s.archive);
    if (!s.from.empty()) export_query += "&amp;from=" + url::encode(s.from);
    if (!s.to.empty()) export_query += "&amp;to=" + url::encode(s.to);
    if (s.sort != "relevance") export_query += "&amp;sort=" + url::encode(s.sort);
    html += "<p class=\"summary\" role=\"status\"><span id=\"total\" data-total=\"" +
            std::to_string(r.total) + "\">" + (r.total_exact ? "" : "about ") + grouped(r.total) +
            "</span> " + (r.total == 1 ? "article" : "articles");
    if (!r.hits.empty())
        html += " · showing " + grouped(r.hits.front().rank) + "–" + grouped(r.hits.back().rank);
    html += "</p>\n";
    html += timeline_html(s, r.facets);
    if (!r.hits.empty()) {
        html += "<h2 class=\"visually-hidden\">Results</h2>\n<ol class=\"hits\" start=\"" +
                std::to_string(r.hits.front().rank) + "\">\n";
        for (const Hit& h : r.hits) html += hit_html(site, h);
        html += "</ol>\n";
    }
    if (s.page > 1 || asked.offset + r.hits.size() < r.total) {
        html += "<nav class=\"pages\" aria-label=\"Pages\">";
        if (s.page > 1) {
            SearchState prev = s;
            --prev.page;
            html += "<a rel=\"prev\" href=\"" + html_escape(prev.url()) + "\">← Previous</a> ";
        }
        if (asked.offset + r.hits.size() < r.total) {
            SearchState next = s;
            ++next.page;
            html += "<a rel=\"next\" href=\"" + html_escape(next.url()) + "\">Next →</a>";
        }
        html += "</nav>\n";
    }
    html += "</main>\n" + facets_html(s, r, lang, site.cooccurrence) + "</div>\n";
    return html + footer(site, page.documents, export_query);
}

std::string render_document(const Site& site, const DocumentPage& page) {
    const Document& d = page.document;
    SearchState none;
    none.archive = site.archive == site.archives.front() ? "" : site.archive;
    std::string html =
        head((d.title.empty() ? d.id : d.title) + " – panmun") + header(site, none, "", 0);
    html +=
        "<div class=\"layout\">\n<main id=\"main\" tabindex=\"-1\">\n<article class=\"document\"" +
        std::string(d.lang == "ko" ? " lang=\"ko\"" : "") + ">\n<h1>" +
        html_escape(d.title.empty() ? "(untitled)" : d.title) + "</h1>\n<p class=\"meta\">";
    html += d.date.is_set() ? "<time datetime=\"" + d.date.iso() + "\">" + d.date.iso() + "</time>"
                            : std::string("undated");
    if (!d.source.empty()) html += " · " + html_escape(d.source);
    html += " · <span class=\"id\">" + html_escape(d.id) + "</span>";
    if (!d.url.empty())
        html += " · <a href=\"" + html_escape(d.url) + "\" rel=\"noreferrer\">original</a>";
    else if (!d.path.empty())
        html += " · " + html_escape(d.path);
    html += "</p>\n";
    const std::string lang = d.lang == "ko" ? "ko" : "en";
    if (!page.entities.empty()) {
        html +=
            "<section class=\"entities\" aria-labelledby=\"entities-title\"><h2 "
            "id=\"entities-title\">Named in this article</h2><ul class=\"chips\">";
        for (const TaggedEntity& t : page.entities) {
            SearchState s = none;
            s.filters.push_back(std::string(entity_type_name(t.type)) + ":" + t.id);
            html += "<li><a class=\"chip " + std::string(entity_type_name(t.type)) + "\" href=\"" +
                    html_escape(s.url()) + "\">" +
                    html_escape(t.entity ? t.entity->name_in(lang) : t.id) +
                    " <span class=\"type\">" + std::string(entity_type_name(t.type)) +
                    "</span></a></li>";
        }
        html += "</ul></section>\n";
    }
    html += "<div class=\"text\">\n";
    std::string_view text = d.text;
    while (!text.empty()) {
        const std::size_t nl = std::min(text.find('\n'), text.size());
        const std::string_view line = text.substr(0, nl);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos)
            html += "<p>" + html_escape(line) + "</p>\n";
        text.remove_prefix(std::min(nl + 1, text.size()));
    }
    html +=
        "</div>\n</article>\n</main>\n<aside class=\"precedents\" "
        "aria-labelledby=\"precedents-title\">\n<h2 id=\"precedents-title\">";
    html += d.date.is_set() ? "Precedents before " + d.date.iso() : std::string("Similar articles");
    html += "</h2>\n";
    if (!page.precedents || page.precedents->hits.empty()) {
        html += "<p class=\"none\">none found</p>\n";
    } else {
        html += "<ol class=\"hits\">\n";
        for (const Hit& h : page.precedents->hits) html += hit_html(site, h);
        html += "</ol>\n";
    }
    html += "</aside>\n</div>\n";
    return html + footer(site, 0, "");
}

std::string render_message(const Site& site, int status, const std::string& message) {
    SearchState none;
    std::string html = head(fmt::format("{} – panmun", status)) + header(site, none, "", 0);
    html += "<main id=\"main\" tabindex=\"-1\"><h1>" + std::to_string(status) +
            "</h1><p class=\"error\">" + html_escape(message) +
            "</p><p><a href=\"/\">Back to search</a></p></main>\n";
    return html + footer(site, 0, "");
}

}  // namespace panmun::web
