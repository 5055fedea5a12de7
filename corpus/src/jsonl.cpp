// JSON Lines reader: parses each line with nlohmann::json and maps keys to Document fields.
#include "panmun/jsonl.hpp"

#include <nlohmann/json.hpp>

#include "json_fields.hpp"
#include "panmun/clean.hpp"
#include "panmun/errors.hpp"

namespace panmun {
namespace {

// Scalars become text; null and absent become "". Arrays and objects are refused.
bool scalar_text(const nlohmann::json& v, std::string& out) {
    switch (v.type()) {
        case nlohmann::json::value_t::null:
            out.clear();
            return true;
        case nlohmann::json::value_t::string:
            out = v.get_ref<const std::string&>();
            return true;
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
        case nlohmann::json::value_t::boolean:
            out = v.dump();
            return true;
        default:
            return false;
    }
}

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

}  // namespace

FieldMap::FieldMap() {
    for (std::size_t i = 0; i < field_names.size(); ++i) keys_[i] = field_names[i];
}

FieldMap FieldMap::parse(std::string_view spec) {
    FieldMap map;
    while (!spec.empty()) {
        auto comma = spec.find(',');
        std::string_view part = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
        auto eq = part.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size())
            throw UsageError("--map: '" + std::string(part) + "' is not of the form field=key");
        std::string_view ours = part.substr(0, eq);
        std::size_t i = 0;
        while (i < field_names.size() && field_names[i] != ours) ++i;
        if (i == field_names.size())
            throw UsageError("--map: unknown field '" + std::string(ours) +
                             "' (fields: id, title, date, source, url, lang, text, author)");
        if (map.mapped_[i])
            throw UsageError("--map: field '" + std::string(ours) + "' is mapped twice ('" +
                             map.keys_[i] + "' and '" + std::string(part.substr(eq + 1)) +
                             "'): give one key for it");
        map.keys_[i] = std::string(part.substr(eq + 1));
        map.mapped_[i] = true;
    }
    return map;
}

JsonlReader::JsonlReader(const std::string& path, FieldMap map)
    : lines_(path), map_(std::move(map)) {}
JsonlReader::JsonlReader(ByteSource& source, FieldMap map) : lines_(source), map_(std::move(map)) {}

ReadEvent record_event(Location where, std::array<std::string, field_names.size()> values,
                       const FieldMap& map) {
    ReadEvent ev;
    ev.where = std::move(where);
    Document& doc = ev.document;
    doc.id = std::move(values[0]);
    doc.title = std::move(values[1]);
    doc.source = std::move(values[3]);
    doc.url = std::move(values[4]);
    doc.lang = std::move(values[5]);
    doc.text = std::move(values[6]);
    doc.author = std::move(values[7]);
    if (blank(doc.text)) {
        ev.kind = ReadEvent::Kind::skipped;
        ev.reason = "no text (key '" + map.key(Field::text) + "' empty or absent)";
        return ev;
    }
    const std::string& date_text = values[2];
    if (!blank(date_text)) {
        if (auto d = Date::parse(date_text))
            doc.date = *d;
        else
            ev.warnings.push_back(unreadable_date_warning(date_text));
    }
    if (blank(doc.id)) {
        doc.id = content_id(doc);
        ev.generated_id = true;
    }
    ev.kind = ReadEvent::Kind::document;
    return ev;
}

ReadEvent JsonlReader::next() {
    ReadEvent ev;
    for (;;) {
        if (!lines_.next(line_)) return ev;  // Kind::end
        ev.where = {lines_.name(), lines_.line_number()};
        if (lines_.too_long()) {
            ev.kind = ReadEvent::Kind::skipped;
            ev.reason =
                "line longer than " + std::to_string(LineReader::max_line_bytes >> 20) + " MiB";
            return ev;
        }
        if (!blank(line_)) break;  // blank lines separate nothing and are not records
    }
    auto skip = [&](std::string reason) {
        ev.kind = ReadEvent::Kind::skipped;
        ev.reason = std::move(reason);
        return ev;
    };
    // JSON must be UTF-8: a line in another encoding is converted or repaired first.
    Utf8Text utf8 = to_utf8(line_);
    nlohmann::json obj;
    try {
        obj = nlohmann::json::parse(utf8.text);
    } catch (const nlohmann::json::parse_error& e) {
        return skip("invalid JSON at byte " + std::to_string(e.byte));
    } catch (const nlohmann::json::out_of_range&) {
        // A number too large for a double ("1E999"): valid JSON that nlohmann cannot hold.
        return skip("a number in the record is too large to read");
    }
    if (!obj.is_object()) return skip("not a JSON object");
    for (const auto& item : obj.items()) keys_.note(item.key());
    std::string why;
    auto values = json_fields(obj, map_, why);
    if (!why.empty()) return skip(why);
    ReadEvent done = record_event(ev.where, std::move(values), map_);
    done.repaired = utf8.repaired;
    done.converted = utf8.from == Utf8Text::From::cp949;
    return done;
}

std::array<std::string, field_names.size()> json_fields(const nlohmann::json& obj,
                                                        const FieldMap& map, std::string& why) {
    std::array<std::string, field_names.size()> values;
    for (std::size_t i = 0; i < field_names.size(); ++i) {
        auto it = obj.find(map.key(static_cast<Field>(i)));
        if (it == obj.end()) continue;
        if (!scalar_text(*it, values[i])) {
            why = "field '" + it.key() + "' is not a string or number";
            break;
        }
    }
    return values;
}

}  // namespace panmun
