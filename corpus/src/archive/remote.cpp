// RemoteShard and TextClient: a shard read through Xapian's remote backend, its texts through
// the shard host's `panmun-query serve`. The HTTP client is Boost.Beast's (header-only; the
// server side of panmun already speaks HTTP through it), synchronous: a search fetches its ten
// hits one after the other.
#define BOOST_BEAST_USE_STD_STRING_VIEW
#include "archive/remote.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>

#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"
#include "panmun/url.hpp"

namespace panmun::archive {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// Xapian's remote calls and a text fetch wait this long for an answer (an exact count over
// millions of documents takes seconds, not minutes), a connection this long.
constexpr unsigned remote_timeout_ms = 30000, connect_timeout_ms = 5000;
// What one request of a text client asks for at most: targets of 6000 bytes (HTTP servers read
// 8 KiB of request headers) and 500 documents (`serve` answers 1000).
constexpr std::size_t max_target = 6000, max_documents = 500;

constexpr const char* remote_form = "tcp://HOST:PORT?texts=http://HOST:PORT";

// "HOST:PORT" (HOST may be "[::1]") into its parts; false if it is not one.
bool host_port(std::string_view text, std::string& host, unsigned& port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
    host = std::string(text.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned long n = 0;
    for (char c : text.substr(colon + 1)) {
        if (c < '0' || c > '9') return false;
        n = n * 10 + static_cast<unsigned>(c - '0');
        if (n > 65535) return false;
    }
    port = static_cast<unsigned>(n);
    return port != 0;
}

std::string string_field(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<RemoteShard> RemoteShard::parse(const std::string& name) {
    if (!is_remote_shard(name)) return std::nullopt;
    const std::string_view scheme = "tcp://";
    const auto bad = [&](const std::string& why) {
        return UsageError("remote shard '" + name + "': " + why + " (the form is " + remote_form +
                          ")");
    };
    std::string_view rest = std::string_view(name).substr(scheme.size());
    const std::size_t question = rest.find('?');
    RemoteShard r;
    if (!host_port(rest.substr(0, question), r.host, r.port))
        throw bad("no HOST:PORT of xapian-tcpsrv");
    const std::string_view texts = "texts=http://";
    if (question == std::string_view::npos || rest.compare(question + 1, texts.size(), texts) != 0)
        throw bad("no texts=http://HOST:PORT of the shard host's panmun-query serve");
    std::string_view where = rest.substr(question + 1 + texts.size());
    if (!where.empty() && where.back() == '/') where.remove_suffix(1);
    if (!host_port(where, r.texts_host, r.texts_port)) throw bad("texts= names no HOST:PORT");
    return r;
}

Xapian::Database RemoteShard::open(const std::string& name) const {
    Xapian::Database db;
    try {
        db = Xapian::Remote::open(host, port, remote_timeout_ms, connect_timeout_ms);
    } catch (const Xapian::Error& e) {
        throw ArchiveError(name, "cannot reach xapian-tcpsrv at " + host + ":" +
                                     std::to_string(port) + ": " + e.get_description());
    }
    if (db.get_metadata(schema::meta_version).empty())
        throw ArchiveError(name, "xapian-tcpsrv at " + host + ":" + std::to_string(port) +
                                     " serves a database that is not a panmun archive's index "
                                     "(serve NAME.panmun/xapian)");
    return db;
}

struct TextClient::Impl {
    RemoteShard shard;
    std::string name;
    asio::io_context io;
    std::optional<boost::beast::tcp_stream> stream;
    boost::beast::flat_buffer buffer;

    void connect() {
        stream.emplace(io);
        stream->expires_after(std::chrono::milliseconds(connect_timeout_ms));
        tcp::resolver resolver(io);
        stream->connect(resolver.resolve(shard.texts_host, std::to_string(shard.texts_port)));
        buffer.clear();
    }

    http::response<http::string_body> get(const std::string& target) {
        http::request<http::empty_body> req{http::verb::get, target, 11};
        req.set(http::field::host, shard.texts_host);
        req.keep_alive(true);
        http::response_parser<http::string_body> parser;
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        stream->expires_after(std::chrono::milliseconds(remote_timeout_ms));
        http::write(*stream, req);
        http::read(*stream, buffer, parser);
        http::response<http::string_body> res = parser.release();
        if (!res.keep_alive()) stream.reset();
        return res;
    }
};

TextClient::TextClient(const RemoteShard& shard, std::string name)
    : impl_(std::make_unique<Impl>()) {
    impl_->shard = shard;
    impl_->name = std::move(name);
}
TextClient::~TextClient() = default;
TextClient::TextClient(TextClient&&) noexcept = default;

Document TextClient::fetch(const std::string& id) const { return fetch(std::vector{id}).front(); }

// GET /api/docs?id=A&id=B..., in as few requests as max_target and max_documents allow: one
// round trip for a page of hits, not one each.
std::vector<Document> TextClient::fetch(const std::vector<std::string>& ids) const {
    std::vector<Document> docs;
    docs.reserve(ids.size());
    std::size_t next = 0;
    while (next < ids.size()) {
        std::string target = "/api/docs";
        const std::size_t first = next;
        for (; next < ids.size(); ++next) {
            const std::string param = (next == first ? "?id=" : "&id=") + url::encode(ids[next]);
            if (next > first &&
                (target.size() + param.size() > max_target || next - first == max_documents))
                break;
            target += param;
        }
        const nlohmann::json answer = request(target, "document " + ids[first]);
        const nlohmann::json* list =
            answer.is_object() && answer.contains("documents") ? &answer["documents"] : nullptr;
        if (!list || !list->is_array() || list->size() != next - first)
            throw CorruptDataError(impl_->name, "the text server's answer for documents " +
                                                    ids[first] + "... is not those documents");
        for (std::size_t k = first; k < next; ++k)
            docs.push_back(document((*list)[k - first], ids[k]));
    }
    return docs;
}

std::string TextClient::index_uuid() const {
    const nlohmann::json j = request("/api/revision", "the revision of its archive");
    if (!j.is_object() || string_field(j, "uuid").empty())
        throw CorruptDataError(impl_->name, "the text server's revision has no index UUID");
    return string_field(j, "uuid");
}

// The JSON of the answer to `target`, which asks for `what` (named in errors).
nlohmann::json TextClient::request(const std::string& target, const std::string& what) const {
    Impl& d = *impl_;
    const std::string server = d.shard.texts_host + ":" + std::to_string(d.shard.texts_port);
    http::response<http::string_body> res;
    // A kept-alive connection the server has since closed fails at once: connect again, once.
    for (int attempt = 1;; ++attempt) {
        try {
            if (!d.stream) d.connect();
            res = d.get(target);
            break;
        } catch (const boost::system::system_error& e) {
            d.stream.reset();
            if (attempt == 2)
                throw ArchiveError(
                    d.name, "cannot fetch " + what + " from " + server + ": " + e.code().message());
        }
    }
    nlohmann::json j = nlohmann::json::parse(res.body(), nullptr, false);
    if (res.result() == http::status::not_found)
        throw ArchiveError(d.name, "the text server at " + server + " answers: " +
                                       (j.is_object() ? string_field(j, "error") : res.body()) +
                                       " (does it serve the same archive as xapian-tcpsrv, with "
                                       "the same version of panmun?)");
    if (res.result() != http::status::ok)
        throw CorruptDataError(d.name, "the text server's answer for " + what + " is HTTP " +
                                           std::to_string(res.result_int()));
    return j;
}

// One document of the server's answer, which must be the document `id`.
Document TextClient::document(const nlohmann::json& j, const std::string& id) const {
    if (!j.is_object() || string_field(j, "id") != id)
        throw CorruptDataError(
            impl_->name, "the text server's answer for document " + id + " is not that document");
    Document doc;
    doc.id = id;
    doc.title = string_field(j, "title");
    if (auto date = Date::parse_iso(string_field(j, "date"))) doc.date = *date;
    doc.source = string_field(j, "source");
    doc.url = string_field(j, "url");
    doc.lang = string_field(j, "lang");
    doc.author = string_field(j, "author");
    doc.path = string_field(j, "path");
    doc.text = string_field(j, "text");
    return doc;
}

}  // namespace panmun::archive
