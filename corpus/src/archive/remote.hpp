// A shard on another host (internal; docs/REMOTE.md): its index served by Xapian's own server
// (xapian-tcpsrv), its stored texts by `panmun-query serve` on the same host. The reader names
// it "tcp://HOST:PORT?texts=http://HOST:PORT" wherever it takes an archive's path.
#pragma once

#include <xapian.h>

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "panmun/document.hpp"

namespace panmun::archive {

struct RemoteShard {
    std::string host;
    unsigned port = 0;
    std::string texts_host;
    unsigned texts_port = 0;

    // nullopt unless `name` starts with "tcp://"; UsageError (with the form expected) if it does
    // but is not one.
    static std::optional<RemoteShard> parse(const std::string& name);

    // The shard's index through xapian-tcpsrv. ArchiveError naming `name` if it cannot be
    // reached or is not a panmun index.
    Xapian::Database open(const std::string& name) const;
};

// Fetches stored documents by id from the shard host's `panmun-query serve` (GET /api/docs),
// over one kept-alive connection, made again when the server has closed it.
class TextClient {
public:
    TextClient(const RemoteShard& shard, std::string name);
    ~TextClient();
    TextClient(TextClient&&) noexcept;

    // Throws ArchiveError naming the shard if the server cannot be reached or has no such
    // document, CorruptDataError if its answer is not a document.
    Document fetch(const std::string& id) const;
    // Several at once, in their order: one request for a page of hits.
    std::vector<Document> fetch(const std::vector<std::string>& ids) const;
    // The UUID of the index the text server reads now (GET /api/revision): another than the
    // one xapian-tcpsrv sent means a compaction replaced it, which Xapian's server does not
    // follow on a connection it has open.
    std::string index_uuid() const;

private:
    nlohmann::json request(const std::string& target, const std::string& what) const;
    Document document(const nlohmann::json& j, const std::string& id) const;

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace panmun::archive
