// The readers' factories and shared helpers (internal to the library).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "panmun/clean.hpp"
#include "panmun/readers.hpp"

namespace panmun::readers {

// A whole file read and made UTF-8, for the formats that parse a file at once.
struct WholeFile {
    std::string name;  // for Locations
    std::string path;  // for dates in paths
    Utf8Text content;
};

std::unique_ptr<RecordReader> json_reader(WholeFile file, const FieldMap& map);
std::unique_ptr<RecordReader> csv_reader(ByteSource& source, std::string_view path,
                                         const FieldMap& map, char delimiter);
std::unique_ptr<RecordReader> text_reader(WholeFile file);
std::unique_ptr<RecordReader> sgml_reader(WholeFile file);
std::unique_ptr<RecordReader> html_reader(WholeFile file);
std::unique_ptr<RecordReader> nitf_reader(WholeFile file);

// 1-based line number of byte `offset` in `text`.
std::uint64_t line_at(std::string_view text, std::size_t offset);

// A reader that yields prepared events one by one (the whole-file formats).
class EventList : public RecordReader {
public:
    explicit EventList(std::uint64_t bytes) : bytes_(bytes) {}
    void push(ReadEvent ev) { events_.push_back(std::move(ev)); }
    ReadEvent next() override {
        if (pos_ == events_.size()) return {};
        return std::move(events_[pos_++]);
    }
    std::uint64_t bytes_read() const override { return pos_ == events_.size() ? bytes_ : 0; }
    bool markup() const override { return markup_; }
    void set_markup(bool m) { markup_ = m; }

private:
    std::vector<ReadEvent> events_;
    std::size_t pos_ = 0;
    std::uint64_t bytes_;
    bool markup_ = false;
};

// The event for a whole-file document (line 0: the file itself). The file's repairs and
// conversion are reported with its first event only.
ReadEvent file_event(WholeFile& file, Document doc, std::uint64_t line = 0);

}  // namespace panmun::readers
