// version(), writer_name(), version_report().
#include "panmun/version.hpp"

#include <unicode/uversion.h>
#include <xapian.h>
#include <zstd.h>

#include "panmun/archive.hpp"
#include "panmun/schema.hpp"

namespace panmun {

const char* version() { return PANMUN_VERSION; }

std::string writer_name() { return std::string("panmun ") + version(); }

std::string version_report(const std::string& program) {
    UVersionInfo icu;
    u_getVersion(icu);
    char icu_text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(icu, icu_text);
    return program + " " + version() + "\n" + "archive format " +
           std::to_string(archive_format_version) + ", " +
           std::to_string(sharded_archive_format_version) + " for an archive of shards (reads " +
           std::to_string(oldest_archive_format_version) + " to " +
           std::to_string(sharded_archive_format_version) + "), index schema " +
           std::to_string(schema::version) + ", JSON outputs: schemas v1 (docs/schemas)\n" +
           "Xapian " + Xapian::version_string() + "\n" + "zstd " + ZSTD_versionString() + "\n" +
           "ICU " + icu_text;
}

}  // namespace panmun
