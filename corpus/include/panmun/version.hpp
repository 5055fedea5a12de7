// What this panmun is: its version, and the versions of the libraries it runs with.
#pragma once

#include <string>

namespace panmun {

// "0.1.0": the project version (CMakeLists.txt).
const char* version();
// "panmun 0.1.0": how an archive records the program that created or last wrote it.
std::string writer_name();
// The lines `--version` prints after the program's name: panmun's version, the archive format
// and index schema versions it writes and reads, and the versions of Xapian, zstd and ICU it runs
// with (the shared libraries loaded, not the headers it was built against).
std::string version_report(const std::string& program);

}  // namespace panmun
