// A stored document as JSON and as text (`show`, and the columns of hits). Apart from the other
// reports so that panmun-query links none of the ingest code they refer to.
#include <fmt/format.h>

#include "reports.hpp"

namespace panmun::cli {

nlohmann::json document_json(const Document& doc, bool with_text) {
    nlohmann::json j = {{"id", doc.id},         {"title", doc.title}, {"date", nullptr},
                        {"source", doc.source}, {"url", doc.url},     {"lang", doc.lang},
                        {"author", doc.author}, {"path", doc.path}};
    if (doc.date.is_set()) j["date"] = doc.date.iso();
    if (with_text) j["text"] = doc.text;
    return j;
}

std::string document_text(const Document& doc) {
    std::string out = fmt::format(
        "id:     {}\ntitle:  {}\ndate:   {}\nsource: {}\nurl:    {}\nlang:   {}\n", doc.id,
        doc.title, doc.date.is_set() ? doc.date.iso() : "undated", doc.source, doc.url, doc.lang);
    if (!doc.author.empty()) out += fmt::format("author: {}\n", doc.author);
    if (!doc.path.empty()) out += fmt::format("path:   {}\n", doc.path);
    return out + "\n" + doc.text + "\n";
}

}  // namespace panmun::cli
