// files_under(): the directory walk shared by ingest (directory inputs) and sync.
#include "walk.hpp"

#include <boost/filesystem.hpp>
#include <map>
#include <set>

namespace fs = boost::filesystem;

namespace panmun {

std::vector<std::pair<std::string, std::string>> files_under(
    const std::string& dir,
    const std::function<void(const std::string&, const std::string&)>& problem) {
    std::map<std::string, std::string> files;
    boost::system::error_code ec;
    std::set<fs::path> entered{fs::canonical(dir, ec)};
    fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec),
        end;
    if (ec) problem(dir, "cannot read: " + ec.message());
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.filename().string().front() == '.') {  // hidden: .git, .DS_Store
            boost::system::error_code hidden;
            if (fs::is_directory(it->status(hidden))) it.disable_recursion_pending();
            continue;
        }
        boost::system::error_code sec;
        fs::file_status st = it->status(sec);
        if (sec) {
            problem(p.string(), "skipped: " + sec.message());
            continue;
        }
        if (fs::is_directory(st)) {
            fs::path canonical = fs::canonical(p, sec);
            if (sec || !entered.insert(canonical).second) {
                problem(p.string(),
                        sec ? "skipped: " + sec.message()
                            : "skipped: symlink loop (" + canonical.string() + " already walked)");
                it.disable_recursion_pending();
            }
            continue;
        }
        if (fs::is_regular_file(st)) files[fs::relative(p, dir).generic_string()] = p.string();
    }
    if (ec) problem(dir, "walk stopped: " + ec.message());
    return {files.begin(), files.end()};
}

}  // namespace panmun
