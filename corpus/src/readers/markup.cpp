// HTML pages and NITF articles, parsed by libxml2: its HTML parser recovers from the tag soup
// real pages are made of, and its XML parser reads NITF without fetching anything (NONET, no
// entity expansion).
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstring>
#include <unordered_set>

#include "internal.hpp"
#include "panmun/errors.hpp"

namespace panmun::readers {
namespace {

struct DocDeleter {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocDeleter>;

std::string lower(const char* s) {
    std::string out = s ? s : "";
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string name_of(const xmlNode* n) { return lower(reinterpret_cast<const char*>(n->name)); }

std::string attr(const xmlNode* n, const char* name) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (!v) return {};
    std::string out = reinterpret_cast<const char*>(v);
    xmlFree(v);
    return out;
}

// Elements whose text is not the article's: code, navigation, page furniture.
bool skipped_element(const std::string& name) {
    static const std::unordered_set<std::string> names = {
        "script", "style", "noscript", "nav",    "header", "footer", "aside", "form",
        "iframe", "svg",   "template", "button", "select", "head",   "menu",  "figure"};
    return names.count(name) > 0;
}
bool block_element(const std::string& name) {
    static const std::unordered_set<std::string> names = {
        "p",          "div", "br", "li", "ul", "ol",    "h1",      "h2",
        "h3",         "h4",  "h5", "h6", "tr", "table", "section", "article",
        "blockquote", "pre", "dd", "dt", "dl", "hr",    "main",    "body"};
    return names.count(name) > 0;
}

void text_of(const xmlNode* n, std::string& out, bool skip_furniture) {
    for (const xmlNode* c = n; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content) out += reinterpret_cast<const char*>(c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE) continue;
        std::string name = name_of(c);
        if (skip_furniture && skipped_element(name)) continue;
        bool block = block_element(name);
        if (block) out += '\n';
        text_of(c->children, out, skip_furniture);
        if (block) out += '\n';
    }
}

const xmlNode* find(const xmlNode* n, const std::string& name) {
    for (const xmlNode* c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (name_of(c) == name) return c;
        if (const xmlNode* f = find(c->children, name)) return f;
    }
    return nullptr;
}

template <typename F>
void each_element(const xmlNode* n, const F& f) {
    for (const xmlNode* c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        f(c);
        each_element(c->children, f);
    }
}

std::string trimmed(std::string s) {
    std::size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return {};
    std::size_t b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

void silence(void*, const char*, ...) {}

// libxml2 prints parse errors to stderr unless told otherwise; the readers report their own.
// The handler is libxml2's per thread: set once for each thread that parses.
void silence_libxml() {
    thread_local bool done = false;
    if (!done) {
        xmlSetGenericErrorFunc(nullptr, silence);
        done = true;
    }
}

class HtmlPage : public EventList {
public:
    explicit HtmlPage(WholeFile file) : EventList(file.content.text.size()) {
        const std::string& s = file.content.text;
        silence_libxml();
        XmlDoc doc(htmlReadMemory(s.data(), static_cast<int>(s.size()), nullptr, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC |
                                      HTML_PARSE_COMPACT));
        if (!doc) {
            ReadEvent ev;
            ev.kind = ReadEvent::Kind::skipped;
            ev.where = {file.name, 0};
            ev.reason = "not an HTML page libxml2 can read";
            push(std::move(ev));
            return;
        }
        const xmlNode* root = xmlDocGetRootElement(doc.get());
        Document d;
        std::vector<std::string> warnings;
        std::string og_title, title_tag, date_text;
        each_element(root, [&](const xmlNode* e) {
            std::string name = name_of(e);
            if (name == "title" && title_tag.empty()) {
                std::string t;
                text_of(e->children, t, false);
                title_tag = trimmed(t);
            } else if (name == "html") {
                d.lang = attr(e, "lang");
            } else if (name == "link" && lower(attr(e, "rel").c_str()) == "canonical") {
                d.url = attr(e, "href");
            } else if (name == "meta") {
                std::string key =
                    lower((attr(e, "property") + attr(e, "name") + attr(e, "itemprop")).c_str());
                std::string content = attr(e, "content");
                if (key == "og:title")
                    og_title = content;
                else if ((key == "author" || key == "article:author" || key == "dc.creator" ||
                          key == "byl" || key == "sailthru.author") &&
                         d.author.empty() && content.rfind("http", 0) != 0)
                    d.author = content;
                else if (key == "og:url" && d.url.empty())
                    d.url = content;
                else if (date_text.empty() &&
                         (key == "article:published_time" || key == "date" || key == "pubdate" ||
                          key == "publishdate" || key == "dc.date" || key == "dc.date.issued" ||
                          key == "datepublished" || key == "sailthru.date" ||
                          key == "article.published"))
                    date_text = content;
            } else if (name == "time" && date_text.empty()) {
                date_text = attr(e, "datetime");
            }
        });
        const xmlNode* h1 = find(root, "h1");
        std::string h1_text;
        if (h1) text_of(h1->children, h1_text, false);
        d.title = !og_title.empty() ? og_title : !title_tag.empty() ? title_tag : trimmed(h1_text);
        if (!date_text.empty()) {
            if (auto when = Date::parse(trimmed(date_text)))
                d.date = *when;
            else
                warnings.push_back(unreadable_date_warning(date_text));
        }
        // The article's own text: <article> if the page has one, else <main>, else <body>.
        const xmlNode* body = find(root, "article");
        if (!body) body = find(root, "main");
        if (!body) body = find(root, "body");
        if (body) {
            text_of(body->children, d.text, true);
            // A heading repeating the title is not body text.
            std::string t = trimmed(d.text);
            if (!d.title.empty() && t.rfind(d.title, 0) == 0) d.text = t.substr(d.title.size());
        }
        ReadEvent ev = file_event(file, std::move(d));
        ev.warnings = std::move(warnings);
        push(std::move(ev));
    }
};

// NITF 3.x: head/title or body.head/hedline/hl1; docdata/doc-id@id-string; date.issue@norm or
// pubdata@date.publication; body.content's paragraphs.
class NitfArticle : public EventList {
public:
    explicit NitfArticle(WholeFile file) : EventList(file.content.text.size()) {
        const std::string& s = file.content.text;
        silence_libxml();
        XmlDoc doc(xmlReadMemory(
            s.data(), static_cast<int>(s.size()), nullptr, "UTF-8",
            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC));
        if (!doc) {
            const xmlError* err = xmlGetLastError();
            ReadEvent ev;
            ev.kind = ReadEvent::Kind::skipped;
            ev.where = {file.name, err ? static_cast<std::uint64_t>(err->line) : 0};
            ev.reason = std::string("not well-formed XML") +
                        (err && err->message ? ": " + trimmed(err->message) : std::string());
            push(std::move(ev));
            return;
        }
        const xmlNode* root = xmlDocGetRootElement(doc.get());
        Document d;
        std::vector<std::string> warnings;
        std::string date_text;
        if (const xmlNode* n = find(root, "doc-id")) d.id = attr(n, "id-string");
        if (const xmlNode* n = find(root, "hl1")) text_of(n->children, d.title, false);
        if (d.title.empty())
            if (const xmlNode* n = find(root, "title")) text_of(n->children, d.title, false);
        d.title = trimmed(d.title);
        if (const xmlNode* n = find(root, "date.issue")) date_text = attr(n, "norm");
        if (date_text.empty())
            if (const xmlNode* n = find(root, "pubdata")) date_text = attr(n, "date.publication");
        if (const xmlNode* n = find(root, "doc.copyright")) d.source = attr(n, "holder");
        if (const xmlNode* n = find(root, "pubdata"); n && d.source.empty())
            d.source = attr(n, "name");
        if (const xmlNode* n = find(root, "nitf")) d.lang = attr(n, "xml:lang");
        if (d.lang.empty()) d.lang = attr(root, "lang");
        if (const xmlNode* n = find(root, "body.content")) text_of(n->children, d.text, false);
        if (const xmlNode* n = find(root, "byline")) {
            if (const xmlNode* p = find(n->children, "person"))
                text_of(p->children, d.author, false);
            else
                text_of(n->children, d.author, false);
            d.author = trimmed(d.author);
        }
        if (!date_text.empty()) {
            if (auto when = Date::parse(date_text))
                d.date = *when;
            else
                warnings.push_back(unreadable_date_warning(date_text));
        }
        ReadEvent ev = file_event(file, std::move(d));
        ev.warnings = std::move(warnings);
        push(std::move(ev));
    }
};

}  // namespace

std::unique_ptr<RecordReader> html_reader(WholeFile file) {
    return std::make_unique<HtmlPage>(std::move(file));
}
std::unique_ptr<RecordReader> nitf_reader(WholeFile file) {
    return std::make_unique<NitfArticle>(std::move(file));
}

}  // namespace panmun::readers
