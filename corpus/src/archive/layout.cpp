// Archive layout helpers, the manifest and the committed state.
#include "archive/layout.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "panmun/errors.hpp"
#include "panmun/schema.hpp"
#include "unique_fd.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace fs = boost::filesystem;

namespace panmun {
namespace archive {
namespace {

std::uint64_t meta_number(const Xapian::Database& db, const char* key) {
    std::string v = db.get_metadata(key);
    return v.empty() ? 0 : std::stoull(v);
}

}  // namespace

std::string sub(const std::string& dir, const std::string& name) {
    return (fs::path(dir) / name).string();
}

std::string shard_dir_name(std::size_t i) { return "shard-" + std::to_string(i + 1); }

std::string store_file_name(std::uint64_t generation) {
    return "store-" + std::to_string(generation) + ".dat";
}

std::uint64_t store_generation(const std::string& name) {
    return std::stoull(name.substr(6, name.size() - 10));  // "store-N.dat"
}

std::string now_utc() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::vector<std::pair<std::string, long>> beside(const std::string& archive, const char* infix) {
    std::vector<std::pair<std::string, long>> found;
    fs::path p(archive);
    if (p.filename() == "." || p.filename().empty()) p = p.parent_path();  // "a.panmun/"
    const std::string prefix = p.filename().string() + infix;
    fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    boost::system::error_code ec;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string pid = name.substr(prefix.size());
        if (pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9) continue;
        found.emplace_back((p.parent_path() / name).string(), std::stol(pid));
    }
    return found;
}

std::string settled_dir(const std::string& archive) {
    if (fs::exists(archive)) return archive;
    auto waiting = beside(archive, beside_new);
    return waiting.empty() ? archive : waiting.front().first;
}

std::string index_dir(const std::string& archive) {
    std::string live = sub(archive, xapian_dir);
    if (!fs::exists(live) && fs::exists(sub(archive, xapian_compact_dir)))
        return sub(archive, xapian_compact_dir);  // interrupted between the renames of compact()
    return live;
}

void write_state(Xapian::WritableDatabase& db, const CommittedState& state) {
    db.set_metadata(meta_store_file, state.store_file);
    db.set_metadata(meta_store_bytes, std::to_string(state.store_bytes));
    db.set_metadata(meta_text_bytes, std::to_string(state.text_bytes));
    db.set_metadata(meta_dead, std::to_string(state.dead_documents));
    db.set_metadata(meta_compacted_index, std::to_string(state.compacted_index_bytes));
    db.set_metadata(meta_commits, std::to_string(state.commits));
}

std::uint64_t directory_bytes(const std::string& dir) {
    std::uint64_t total = 0;
    boost::system::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (fs::is_regular_file(it->status())) total += fs::file_size(it->path(), ec);
    return total;
}

StoreLocation location_of(const Xapian::Document& entry, const std::string& archive) {
    if (auto where = StoreLocation::unserialise(entry.get_value(schema::slot_store))) return *where;
    throw CorruptDataError(
        archive, "index entry of document " + entry.get_data() + " has no valid store location");
}

Gazetteer archive_gazetteer(const Xapian::Database& db, const std::string& path) {
    Gazetteer g;
    g.merge(Gazetteer::builtin());
    std::string tsv = db.get_metadata(meta_entities);
    if (!tsv.empty()) g.merge(Gazetteer::parse(tsv, path + " (its entities)"));
    return g;
}

}  // namespace archive

using namespace archive;

Manifest Manifest::read(const std::string& dir) {
    std::string path = sub(dir, manifest_name);
    if (!fs::is_directory(dir)) throw ArchiveError(dir, "no such archive directory");
    std::ifstream in(path);
    if (!in) throw ArchiveError(dir, "not a panmun archive (no readable manifest.json)");
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw ArchiveError(dir, "manifest.json is damaged (not a JSON object)");
    if (j.value("format", "") != format_name)
        throw ArchiveError(dir, "not a panmun archive (manifest format is not \"panmun-archive\")");
    Manifest m;
    try {
        m.format_version = j.at("format_version").get<int>();
        if (m.format_version < oldest_archive_format_version ||
            m.format_version > sharded_archive_format_version)
            throw ArchiveError(dir, "archive format version " + std::to_string(m.format_version) +
                                        "; this panmun reads versions " +
                                        std::to_string(oldest_archive_format_version) + " to " +
                                        std::to_string(sharded_archive_format_version) +
                                        (m.format_version > sharded_archive_format_version
                                             ? " (it was written by a newer panmun)"
                                             : " (rebuild the archive with this panmun-index)"));
        if ((m.format_version == sharded_archive_format_version) != j.contains("shards"))
            throw ArchiveError(dir, "manifest.json is damaged: format version " +
                                        std::to_string(m.format_version) +
                                        (j.contains("shards") ? " with" : " without") +
                                        " a list of shards");
        if (j.contains("shards")) {
            for (const auto& shard : j.at("shards").at("directories")) {
                std::string name = shard.get<std::string>();
                if (name.empty() || name.find('/') != std::string::npos || name[0] == '.')
                    throw ArchiveError(dir, "manifest.json is damaged: shard directory '" + name +
                                                "' is not a name inside the archive");
                m.shards.push_back(std::move(name));
            }
            if (m.shards.empty())
                throw ArchiveError(dir, "manifest.json is damaged: an empty list of shards");
        }
        m.schema_version = j.at("schema").at("version").get<int>();
        m.created = j.at("created").get<std::string>();
        m.updated = j.at("updated").get<std::string>();
        m.created_by = j.value("created_by", "");
        m.updated_by = j.value("updated_by", "");
        if (j.contains("shard")) {
            m.shard_index = j.at("shard").at("index").get<std::size_t>();
            m.shard_count = j.at("shard").at("of").get<std::size_t>();
        }
        m.documents = j.at("counts").at("documents").get<std::uint64_t>();
        m.text_bytes = j.at("counts").at("text_bytes").get<std::uint64_t>();
        m.dead_documents = j.at("counts").at("dead_documents").get<std::uint64_t>();
        const auto& store = j.at("store");
        if (m.shards.empty()) {  // each shard has its own store
            m.store_file = store.at("file").get<std::string>();
            m.store_bytes = store.at("committed_bytes").get<std::uint64_t>();
        }
        m.store_options.level = store.at("zstd_level").get<int>();
        m.store_options.compact_level = store.at("compact_zstd_level").get<int>();
        m.store_options.cluster_bytes = store.at("cluster_bytes").get<std::size_t>();
        m.store_options.dictionary_max_bytes = store.at("dictionary_max_bytes").get<std::size_t>();
    } catch (const nlohmann::json::exception& e) {
        throw ArchiveError(dir, std::string("manifest.json is damaged: ") + e.what());
    }
    return m;
}

void Manifest::write(const std::string& dir) const {
    nlohmann::json j = {
        {"format", format_name},
        {"format_version", format_version},
        {"schema",
         {{"version", schema_version},
          {"stemmer", "english"},
          {"cjk", schema_version >= 2 ? "korean" : "ngram"},
          {"stems", schema_version >= 3 ? "without_own_word" : "every_word"},
          {"value_slots",
           {{"date", schema::slot_date},
            {"store_location", schema::slot_store},
            {"text_bytes", schema::slot_text_bytes},
            {"fingerprint", schema::slot_fingerprint},
            {"near_duplicate", schema::slot_near_duplicate},
            {"entities", schema::slot_entities}}}}},
        {"created", created},
        {"updated", updated},
        {"created_by", created_by},
        {"updated_by", updated_by},
        {"counts",
         {{"documents", documents},
          {"text_bytes", text_bytes},
          {"dead_documents", dead_documents}}},
        {"store",
         {{"compression", "zstd clusters, dictionary after compact"},
          {"zstd_level", store_options.level},
          {"compact_zstd_level", store_options.compact_level},
          {"cluster_bytes", store_options.cluster_bytes},
          {"dictionary_max_bytes", store_options.dictionary_max_bytes}}},
    };
    if (shard_count) j["shard"] = {{"index", shard_index}, {"of", shard_count}};
    if (shards.empty()) {
        j["store"]["file"] = store_file;
        j["store"]["committed_bytes"] = store_bytes;
        j["index"] = {{"engine", "xapian"}, {"directory", xapian_dir}};
    } else {
        j["format_version"] = sharded_archive_format_version;
        j["shards"] = {{"routing", "XXH3-64 of the document id, modulo the number of shards"},
                       {"directories", shards}};
    }
    std::string tmp = sub(dir, "manifest.json.tmp");
    {
        UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        std::string text = j.dump(2) + "\n";
        if (!fd ||
            ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
            ::fsync(fd.get()) != 0)
            throw ArchiveError(dir, "cannot write manifest: " + std::string(std::strerror(errno)));
    }
    if (::rename(tmp.c_str(), sub(dir, manifest_name).c_str()) != 0)
        throw ArchiveError(dir, "cannot replace manifest: " + std::string(std::strerror(errno)));
}

std::size_t shard_of(const std::string& id, std::size_t shards) {
    return static_cast<std::size_t>(XXH3_64bits(id.data(), id.size()) % shards);
}

CommittedState CommittedState::of(const Xapian::Database& db) {
    CommittedState s;
    s.store_file = db.get_metadata(meta_store_file);
    s.store_bytes = archive::meta_number(db, meta_store_bytes);
    s.text_bytes = archive::meta_number(db, meta_text_bytes);
    s.dead_documents = archive::meta_number(db, meta_dead);
    s.compacted_index_bytes = archive::meta_number(db, meta_compacted_index);
    s.commits = archive::meta_number(db, meta_commits);
    return s;
}

}  // namespace panmun
