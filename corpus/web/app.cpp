// The web application: guards (Host, methods, sizes, UTF-8), routing, the JSON API, and the
// data behind the pages (pages.cpp renders them). The JSON of /api/search is `search --json`'s
// (corpus/cli/results.cpp), errors carry the CLI's messages.
#include "app.hpp"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "assets.hpp"
#include "entity_reports.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/inspect.hpp"
#include "panmun/query.hpp"
#include "panmun/store.hpp"
#include "panmun/unicode.hpp"
#include "query_options.hpp"
#include "reports.hpp"
#include "results.hpp"
#include "web_internal.hpp"

namespace panmun::web {
namespace {

// Readers of one archive, or of several searched as one (the view named "all"), each used by
// one request at a time.
class ReaderPool {
public:
    // `names`: what the pages and the API call each of `paths`.
    ReaderPool(std::string name, std::vector<std::string> paths, std::vector<std::string> names,
               std::size_t clusters)
        : name_(std::move(name)),
          paths_(std::move(paths)),
          clusters_(std::make_shared<ClusterCache>(clusters)) {
        for (std::size_t i = 0; i < paths_.size(); ++i) names_[paths_[i]] = names[i];
        free_.push_back(open());  // checks the archives now
    }

    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<ArchiveReader> reader)
            : pool_(&pool), reader_(std::move(reader)) {}
        Lease(Lease&& other) noexcept = default;
        ~Lease() {
            if (reader_) pool_->give_back(std::move(reader_));
        }
        ArchiveReader& operator*() const { return *reader_; }
        ArchiveReader* operator->() const { return reader_.get(); }

    private:
        ReaderPool* pool_;
        std::unique_ptr<ArchiveReader> reader_;
    };

    // A reader at the newest committed state.
    Lease take() {
        std::unique_ptr<ArchiveReader> reader;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!free_.empty()) {
                reader = std::move(free_.back());
                free_.pop_back();
            }
        }
        if (reader)
            reader->reopen();
        else
            reader = open();
        return Lease(*this, std::move(reader));
    }
    const std::string& name() const { return name_; }
    bool combined() const { return paths_.size() > 1; }
    bool has_remote() const { return std::any_of(paths_.begin(), paths_.end(), is_remote_shard); }
    // The default columns of hits: with the archive of each in a combined view.
    std::vector<std::string> columns(std::vector<std::string> defaults) const {
        return combined() ? cli::with_archive(std::move(defaults)) : defaults;
    }
    // The newest committed revision of the archives' indexes.
    std::string revision() { return take()->revision(); }
    // Hits of a combined view name their archive as the pages and the API do.
    void name_archives(SearchResult& result) const {
        for (Hit& h : result.hits)
            if (auto it = names_.find(h.archive); it != names_.end()) h.archive = it->second;
    }

private:
    // A reader whose fetches share the pool's decompressed clusters: the same documents come
    // back (a page and its next, a document and its precedents, a popular query).
    std::unique_ptr<ArchiveReader> open() const {
        auto reader = std::make_unique<ArchiveReader>(paths_);
        reader->share_clusters(clusters_);
        return reader;
    }

    void give_back(std::unique_ptr<ArchiveReader> reader) {
        std::lock_guard<std::mutex> lock(mutex_);
        free_.push_back(std::move(reader));
    }
    std::string name_;
    std::vector<std::string> paths_;
    std::map<std::string, std::string> names_;  // by path
    std::shared_ptr<ClusterCache> clusters_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<ArchiveReader>> free_;
};

// An HTTP error with the status it is answered with.
struct HttpError : UsageError {
    HttpError(int status, const std::string& message) : UsageError(message), status(status) {}
    int status;
};

// Whole responses to GET requests, by archive, committed revision and request: a repeated
// request (a popular query, a permalink, back and forward) costs a lookup. A commit makes a new
// revision, so no answer outlives the state it was computed from.
class ResponseCache {
public:
    explicit ResponseCache(std::size_t entries) : capacity_(entries) {}
    std::optional<HttpResponse> find(const std::string& key) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = where_.find(key);
        if (it == where_.end()) return std::nullopt;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->second;
    }
    void add(const std::string& key, const HttpResponse& response) {
        if (capacity_ == 0 || response.stream || response.body.size() > (1 << 20)) return;
        std::lock_guard<std::mutex> lock(mutex_);
        if (where_.count(key)) return;
        order_.emplace_front(key, response);
        where_[key] = order_.begin();
        while (order_.size() > capacity_) {
            where_.erase(order_.back().first);
            order_.pop_back();
        }
    }

private:
    std::size_t capacity_;
    std::mutex mutex_;
    std::list<std::pair<std::string, HttpResponse>> order_;
    std::unordered_map<std::string, std::list<std::pair<std::string, HttpResponse>>::iterator>
        where_;
};

std::string archive_name(const std::string& path) {
    if (is_remote_shard(path))  // its index server, "HOST:PORT"
        return path.substr(6, path.find('?') - 6);
    boost::filesystem::path p(path);
    if (p.filename() == "." || p.filename().empty()) p = p.parent_path();
    return p.filename().string();
}

HttpResponse json_response(int status, const nlohmann::json& j) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return r;
}

HttpResponse html_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::move(body);
    return r;
}

std::string library_error(int status, std::size_t max_query) {
    switch (status) {
        case 414:
            return "the request's address is too long (a query may have " +
                   std::to_string(max_query) + " bytes)";
        case 413:
            return "the request's body is too long (at most 1 MiB)";
        case 400:
            return "malformed HTTP request";
        default:
            return "HTTP error " + std::to_string(status);
    }
}

// An unsigned parameter within [low, high], or `fallback` when absent.
unsigned number(const HttpRequest& req, const std::string& name, unsigned fallback, unsigned low,
                unsigned high) {
    if (!req.has(name)) return fallback;
    const std::string v = req.param(name);
    unsigned long n = 0;
    bool ok = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos;
    if (ok) n = std::stoul(v);
    if (!ok || n < low || n > high)
        throw HttpError(400, "parameter '" + name + "' must be a whole number from " +
                                 std::to_string(low) + " to " + std::to_string(high) + ", not '" +
                                 v + "'");
    return static_cast<unsigned>(n);
}

bool flag(const HttpRequest& req, const std::string& name) {
    const std::string v = req.param(name);
    return v == "1" || v == "true" || v == "yes" || v == "on";
}

// The columns asked for with fields=, or `fallback`.
std::vector<std::string> columns(const HttpRequest& req, std::vector<std::string> fallback) {
    if (!req.has("fields")) return fallback;
    std::string error;
    auto chosen = cli::parse_fields(req.param("fields"), error);
    if (!chosen) throw HttpError(400, "parameter 'fields': " + error);
    return *chosen;
}

// by=auto|year|month|day (default auto), as the CLI's --by.
DateBucket bucket_param(const HttpRequest& req) {
    const std::string by = req.param("by", "auto");
    const auto it = cli::date_buckets().find(by);
    if (it == cli::date_buckets().end())
        throw HttpError(400, "parameter 'by' must be auto, year, month or day, not '" + by + "'");
    return it->second;
}

// search's request from /api/search and /api/export parameters (as the CLI's options).
SearchRequest search_request(const HttpRequest& req, std::size_t max_query, double time_limit) {
    SearchRequest r;
    r.query = req.param("q");
    if (r.query.empty()) throw HttpError(400, "give a query: q=…");
    if (r.query.size() > max_query)
        throw HttpError(414, "the query is too long (" + std::to_string(r.query.size()) +
                                 " bytes; at most " + std::to_string(max_query) + ")");
    cli::SearchOptions o;
    o.from = req.param("from");
    o.to = req.param("to");
    check_date("from", o.from);
    check_date("to", o.to);
    o.sort = sort_order(req.param("sort", "relevance"));
    o.by = bucket_param(req);
    o.collapse = flag(req, "collapse");
    o.facets = req.param("facets");
    o.facet_top = number(req, "facet_top", 10, 1, 1000);
    o.share = flag(req, "share");
    o.apply(r);
    r.time_limit = time_limit;
    return r;
}

// cooccurrence's request from /with and /api/cooccurrence parameters (as entities --with).
CooccurrenceRequest cooccurrence_request(const HttpRequest& req, std::size_t max_query) {
    CooccurrenceRequest r;
    r.with = req.param("e");
    if (r.with.empty()) throw HttpError(400, "give an entity: e=person:kim-jong-un");
    r.query = req.param("q");
    if (r.query.size() + r.with.size() > max_query) throw HttpError(414, "the query is too long");
    const std::string from = req.param("from"), to = req.param("to");
    check_date("from", from);
    check_date("to", to);
    r.dates = cli::date_range(from, to);  // a reversed range is a 400, as for /api/search
    r.by = bucket_param(req);
    r.top = number(req, "top", 30, 1, 1000);
    const std::string type = req.param("type");
    if (!type.empty()) {
        if (!entity_type_named(type))
            throw HttpError(400, "parameter 'type' must be person, org, place or event");
        for (EntityType t : entity_types)
            r.types[static_cast<int>(t)] = entity_type_name(t) == type;
    }
    return r;
}

// An export's body, page by page from one reader; stops (the transfer fails) if the archive
// moves to another committed state before it ends, rather than mixing two.
HttpResponse export_response(ReaderPool& pool, SearchRequest request, const std::string& format,
                             std::vector<std::string> cols) {
    HttpResponse r;
    r.content_type = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"panmun-export." +
                                                    std::string(format == "csv" ? "csv" : "jsonl") +
                                                    "\""});
    request.fetch = cli::needs_documents(cols);
    request.facets = {};
    request.time_limit = 0;  // an export is every match
    r.stream = [&pool, request, format, cols](const std::function<bool(std::string_view)>& write) {
        ReaderPool::Lease reader = pool.take();
        const std::string revision = reader->revision();
        if (format == "csv" && !write(cli::csv_header(cols))) return false;
        SearchRequest page = request;
        page.limit = 500;
        for (page.offset = 0;; page.offset += page.limit) {
            SearchResult result = search(*reader, page, Highlight{});
            if (reader->revision() != revision) return false;
            pool.name_archives(result);
            std::string out;
            for (const Hit& h : result.hits)
                out += format == "csv"
                           ? cli::csv_row(h, cols)
                           : cli::hit_json(h, cols).dump(-1, ' ', false,
                                                         nlohmann::json::error_handler_t::replace) +
                                 "\n";
            if (!out.empty() && !write(out)) return false;
            if (result.hits.size() < page.limit) return true;
        }
    };
    return r;
}

}  // namespace

struct WebApp::Impl {
    WebSettings settings;
    std::unique_ptr<ResponseCache> responses;
    std::vector<std::string> names;
    std::map<std::string, std::unique_ptr<ReaderPool>> pools;  // by name

    bool host_allowed(const std::string& host_header) const {
        if (host_header.empty()) return true;  // HTTP/1.0 sends none
        std::string host = host_header;
        if (host.front() == '[') {
            host = host.substr(0, host.find(']') + 1);
        } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
            host.resize(colon);
        }
        for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (host == "localhost" || host == "127.0.0.1" || host == "[::1]") return true;
        if (host == settings.bind || "[" + settings.bind + "]" == host) return true;
        for (const std::string& h : settings.hosts)
            if (host == h) return true;
        return false;
    }

    ReaderPool& pool(const HttpRequest& req) const {
        const std::string name = req.param("archive", names.front());
        auto it = pools.find(name);
        if (it == pools.end()) {
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            throw HttpError(404,
                            "no archive named '" + name + "' is served (served: " + list + ")");
        }
        return *it->second;
    }

    Site site(const HttpRequest& req) const {
        Site s{names, req.param("archive", names.front())};
        auto it = pools.find(s.archive);
        s.cooccurrence = it == pools.end() || !it->second->has_remote();
        return s;
    }

    // The answer to `req`, from the cache when it is a GET of a page or an API route (not an
    // export) answered before at the archive's current revision.
    HttpResponse cached(const HttpRequest& req) const {
        const bool cacheable =
            req.method != "POST" && req.path != "/api/export" && req.path.rfind("/static/", 0) != 0;
        if (!cacheable) return req.path.rfind("/api/", 0) == 0 ? api(req) : route(req);
        std::string key =
            req.param("archive", names.front()) + "\n" + pool(req).revision() + "\n" + req.path;
        for (const auto& [name, value] : req.params) key += "\n" + name + "=" + value;
        if (auto hit = responses->find(key)) return *hit;
        HttpResponse r = req.path.rfind("/api/", 0) == 0 ? api(req) : route(req);
        if (r.status == 200) responses->add(key, r);
        return r;
    }
    HttpResponse route(const HttpRequest& req) const;
    HttpResponse api(const HttpRequest& req) const;
    HttpResponse page(const HttpRequest& req) const;
};

WebApp::WebApp(WebSettings settings) : impl_(std::make_unique<Impl>()) {
    impl_->settings = std::move(settings);
    if (impl_->settings.archives.empty()) throw UsageError("serve: give an archive to serve");
    impl_->responses = std::make_unique<ResponseCache>(impl_->settings.cache_responses);
    auto unique = [&](const std::string& wanted) {
        std::string name = wanted;
        for (int n = 2; impl_->pools.count(name); ++n) name = wanted + "-" + std::to_string(n);
        return name;
    };
    for (const std::string& path : impl_->settings.archives) {
        const std::string name = unique(archive_name(path));
        impl_->pools.emplace(
            name, std::make_unique<ReaderPool>(name, std::vector{path}, std::vector{name},
                                               impl_->settings.cache_clusters));
        impl_->names.push_back(name);
    }
    // Several archives: a view of them all, searched as one, after them.
    if (impl_->names.size() > 1) {
        const std::string name = unique("all");
        impl_->pools.emplace(
            name, std::make_unique<ReaderPool>(name, impl_->settings.archives, impl_->names,
                                               impl_->settings.cache_clusters));
        impl_->names.push_back(name);
    }
}

WebApp::~WebApp() = default;

HttpResponse WebApp::handle(const HttpRequest& req) const {
    const bool api = req.path.rfind("/api/", 0) == 0;
    auto failure = [&](int status, const std::string& message, std::size_t column = 0) {
        if (api || req.path.empty()) {
            nlohmann::json j = {{"error", message}, {"status", status}};
            if (column) j["column"] = column;
            return json_response(status, j);
        }
        return html_response(status, render_message(impl_->site(req), status, message));
    };
    try {
        int status = 0;
        if (is_error_request(req, status))
            return failure(status, library_error(status, impl_->settings.max_query));
        if (!impl_->host_allowed(req.header("host")))
            return failure(403, "this server does not answer for host '" + req.header("host") +
                                    "' (a guard against DNS rebinding; start it with "
                                    "--allow-host NAME to accept that name)");
        for (const auto& [name, value] : req.params)
            if (!unicode::is_valid(value) || !unicode::is_valid(name))
                return failure(400, "parameter '" + name + "' is not valid UTF-8");
        if (!unicode::is_valid(req.path)) return failure(400, "the path is not valid UTF-8");
        const bool post_ok = req.path == "/api/like";
        if (req.method != "GET" && req.method != "HEAD" && !(req.method == "POST" && post_ok)) {
            HttpResponse r = failure(405, "method " + req.method +
                                              " is not allowed here: this "
                                              "server only reads archives");
            r.headers.push_back({"Allow", post_ok ? "GET, HEAD, POST" : "GET, HEAD"});
            return r;
        }
        HttpResponse r = impl_->cached(req);
        r.headers.push_back({"X-Content-Type-Options", "nosniff"});
        r.headers.push_back({"Referrer-Policy", "no-referrer"});
        return r;
    } catch (const HttpError& e) {
        return failure(e.status, e.what());
    } catch (const QueryError& e) {
        return failure(400, e.what(), e.column());
    } catch (const UsageError& e) {
        return failure(400, e.what());
    } catch (const std::exception& e) {
        return failure(500, e.what());
    } catch (const Xapian::Error& e) {  // not a std::exception: it would end the server
        return failure(500, "index error: " + e.get_description());
    }
}

HttpResponse WebApp::Impl::route(const HttpRequest& req) const {
    if (req.path.rfind("/static/", 0) == 0) {
        const Asset* asset = find_asset(req.path.substr(8));
        if (!asset) throw HttpError(404, "no such file: " + req.path);
        HttpResponse r;
        r.content_type = asset->type;
        r.body.assign(asset->data, asset->size);
        r.headers.push_back({"Cache-Control", "max-age=3600"});
        return r;
    }
    if (req.path == "/favicon.ico") {
        HttpResponse r;
        r.status = 204;
        return r;
    }
    if (req.path == "/" || req.path == "/search" || req.path == "/with" ||
        req.path.rfind("/doc/", 0) == 0) {
        HttpResponse r = page(req);
        r.headers.push_back({"Content-Security-Policy",
                             "default-src 'none'; script-src 'self'; style-src 'self'; "
                             "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                             "frame-ancestors 'none'; base-uri 'none'"});
        return r;
    }
    throw HttpError(404, "no page at " + req.path);
}

HttpResponse WebApp::Impl::page(const HttpRequest& req) const {
    ReaderPool::Lease reader = pool(req).take();
    if (req.path.rfind("/doc/", 0) == 0) {
        const std::string id = req.path.substr(5);
        DocumentPage page;
        std::optional<Document> doc = reader->find(id);
        if (!doc) throw HttpError(404, "no document with id '" + id + "'");
        page.document = std::move(*doc);
        page.entities = entities_of(*reader, id);
        LikeRequest like_request;
        like_request.id = id;
        if (page.document.date.is_set()) like_request.dates = DateRange::before(page.document.date);
        like_request.time_limit = settings.time_limit;
        SearchResult precedents;
        try {
            precedents = like(*reader, like_request, Highlight{});
            page.precedents = &precedents;
        } catch (const UsageError&) {  // a document with no words to search for
        }
        return html_response(200, render_document(site(req), page));
    }
    if (req.path == "/with") {
        WithPage page;
        page.archive = req.param("archive");
        page.e = req.param("e");
        page.q = req.param("q");
        page.by = req.param("by").empty() ? "auto" : req.param("by");
        page.from = req.param("from");
        page.to = req.param("to");
        CooccurrenceResult result;
        int status = 200;
        try {
            result = cooccurrence(*reader, cooccurrence_request(req, settings.max_query));
            page.result = &result;
        } catch (const UsageError& e) {  // QueryError too: an unknown entity, a bad query
            page.error = e.what();
            status = 400;
        }
        return html_response(status, render_with(site(req), page));
    }
    SearchPage page;
    page.state = SearchState::from_request(req, settings.max_query);
    page.documents = reader->document_count();
    SearchResult result;
    int status = 200;
    if (!page.state.empty()) {
        try {
            result = search(*reader, page.state.request(settings.time_limit), Highlight{});
            pool(req).name_archives(result);
            page.result = &result;
        } catch (const QueryError& e) {
            page.error = e.what();
            page.error_column = e.column();
            status = 400;
        } catch (const UsageError& e) {
            page.error = e.what();
            status = 400;
        }
    }
    return html_response(status, render_search(site(req), page));
}

HttpResponse WebApp::Impl::api(const HttpRequest& req) const {
    const std::string& path = req.path;
    const double time_limit = settings.time_limit;
    ReaderPool& archive = pool(req);
    const std::string lang = req.param("lang");
    if (!lang.empty() && lang != "ko" && lang != "en")
        throw HttpError(400, "parameter 'lang' must be ko or en, not '" + lang + "'");
    if (path == "/api/search") {
        SearchRequest r = search_request(req, settings.max_query, time_limit);
        const unsigned limit = number(req, "limit", 10, 0, 1000);
        const unsigned page_number = number(req, "page", 1, 1, 1000000);
        r.limit = limit;
        r.offset =
            req.has("offset") ? number(req, "offset", 0, 0, 100000000) : (page_number - 1) * limit;
        const auto cols = columns(req, archive.columns(cli::json_fields()));
        r.fetch = cli::needs_documents(cols);
        ReaderPool::Lease reader = archive.take();
        SearchResult result = search(*reader, r, Highlight{});
        archive.name_archives(result);
        return json_response(200, cli::result_json(result, cols,
                                                   {r.offset, r.limit, r.facets,
                                                    cli::facet_language(lang, r.query)}));
    }
    if (path == "/api/export") {
        const std::string format = req.param("format");
        if (format != "csv" && format != "jsonl")
            throw HttpError(400, "parameter 'format' must be csv or jsonl");
        SearchRequest r = search_request(req, settings.max_query, time_limit);
        return export_response(archive, r, format,
                               columns(req, archive.columns(format == "csv" ? cli::csv_fields()
                                                                            : cli::json_fields())));
    }
    if (path.rfind("/api/doc/", 0) == 0) {
        const std::string id = path.substr(9);
        ReaderPool::Lease reader = archive.take();
        std::optional<Document> doc = reader->find(id);
        if (!doc) throw HttpError(404, "no document with id '" + id + "'");
        nlohmann::json j = cli::document_json(*doc, true);
        nlohmann::json tags = nlohmann::json::array();
        for (const TaggedEntity& t : entities_of(*reader, id))
            tags.push_back({{"id", t.id},
                            {"type", entity_type_name(t.type)},
                            {"name", t.entity ? t.entity->name_in(cli::facet_language(
                                                    lang, doc->title + doc->text.substr(0, 200)))
                                              : t.id}});
        j["entities"] = std::move(tags);
        return json_response(200, j);
    }
    if (path == "/api/docs") {  // several stored documents at once: a remote shard's texts
        const std::vector<std::string> ids = req.params_named("id");
        if (ids.empty()) throw HttpError(400, "give the documents' ids: id=ID&id=ID...");
        if (ids.size() > 1000) throw HttpError(400, "at most 1000 ids at once");
        ReaderPool::Lease reader = archive.take();
        nlohmann::json docs = nlohmann::json::array();
        for (const std::string& id : ids) {
            std::optional<Document> doc = reader->find(id);
            if (!doc) throw HttpError(404, "no document with id '" + id + "'");
            docs.push_back(cli::document_json(*doc, true));
        }
        return json_response(200, {{"documents", std::move(docs)}});
    }
    if (path == "/api/like") {
        LikeRequest r;
        r.id = req.param("id");
        if (r.id.empty())
            r.text = req.method == "POST" && !req.has("text") ? req.body : req.param("text");
        if (r.id.empty() && r.text.empty())
            throw HttpError(400, "give an example: id=ID, text=…, or the text as the POST body");
        if (!unicode::is_valid(r.text)) throw HttpError(400, "the example text is not valid UTF-8");
        cli::LikeOptions o;
        o.before = req.param("before");
        o.after = req.param("after");
        check_date("before", o.before);
        check_date("after", o.after);
        o.no_collapse = req.has("collapse") && !flag(req, "collapse");
        o.terms = number(req, "terms", r.terms, 1, 200);
        o.apply(r);
        r.limit = number(req, "limit", 10, 0, 1000);
        r.offset = (number(req, "page", 1, 1, 1000000) - 1) * r.limit;
        r.time_limit = time_limit;
        const auto cols = columns(req, archive.columns(cli::json_fields()));
        r.fetch = cli::needs_documents(cols);
        ReaderPool::Lease reader = archive.take();
        if (!r.id.empty() && !reader->find(r.id))
            throw HttpError(404, "no document with id '" + r.id + "'");
        SearchResult result = like(*reader, r, Highlight{});
        archive.name_archives(result);
        return json_response(200, cli::result_json(result, cols, {r.offset, r.limit, {}, "en"}));
    }
    if (path == "/api/entities") {
        const std::string type = req.param("type");
        if (!type.empty() && type != "person" && type != "org" && type != "place" &&
            type != "event")
            throw HttpError(400, "parameter 'type' must be person, org, place or event");
        ReaderPool::Lease reader = archive.take();
        return json_response(
            200, cli::entities_json(archive.name(), entities_in(*reader), type,
                                    number(req, "top", 50, 1, 100000), lang.empty() ? "en" : lang));
    }
    if (path == "/api/cooccurrence") {
        const CooccurrenceRequest r = cooccurrence_request(req, settings.max_query);
        ReaderPool::Lease reader = archive.take();
        return json_response(200,
                             cli::cooccurrence_json(archive.name(), r, cooccurrence(*reader, r),
                                                    lang.empty() ? "en" : lang));
    }
    if (path == "/api/revision") {  // what a reader of this archive as a remote shard follows
        ReaderPool::Lease reader = archive.take();
        return json_response(
            200, {{"revision", reader->revision()}, {"uuid", reader->database().get_uuid()}});
    }
    if (path == "/api/stats") {
        if (archive.combined())
            throw HttpError(400, "stats are kept per archive: ask for one (archive=NAME)");
        ReaderPool::Lease reader = archive.take();
        nlohmann::json j = cli::stats_json(archive.name(), archive_stats(*reader));
        j["archives"] = names;
        return json_response(200, j);
    }
    throw HttpError(404,
                    "no API route " + path +
                        " (routes: /api/search, /api/doc/ID, /api/docs, /api/like, /api/entities, "
                        "/api/cooccurrence, /api/stats, /api/revision, /api/export)");
}

}  // namespace panmun::web
