// ISO 2709 streaming (records split on the record terminator) and MARCXML streaming (libxml2's
// xmlTextReader, one expanded <record> at a time, so a file of a million records needs little memory).
#include "marc/marc_reader.hpp"

#include <fmt/format.h>
#include <libxml/xmlreader.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "marc/iso2709.hpp"

namespace bookstamp::marc {
namespace {

// ISO 2709 allows 99,999 bytes a record; past that without a terminator the bytes are not a record.
constexpr std::size_t kMaxRecord = 99999;
constexpr std::size_t kChunk = 1 << 20;

class Iso2709Reader final : public MarcReader {
 public:
  Iso2709Reader(std::unique_ptr<std::istream> in, std::string name, std::uint64_t total)
      : MarcReader(std::move(name), Format::kIso2709, total), in_(std::move(in)) {}

  std::optional<ReadEntry> Next() override {
    for (;;) {
      // Separators some files put between records (new lines, NUL padding, a DOS end-of-file mark).
      while (Available(1) && IsFiller(buf_[pos_])) ++pos_;
      if (!Available(1)) return std::nullopt;
      ReadEntry e;
      e.index = ++index_;
      e.offset = consumed_ + pos_;
      auto rt = FindTerminator();
      if (rt == std::string::npos) {
        // No terminator: the rest of the file (or a run too long to be a record) is one bad record.
        auto left = buf_.size() - pos_;
        if (left < kMaxRecord) {  // FindTerminator read to the end of the file
          e.problem =
              fmt::format("truncated record: {} bytes at the end of the file without a record terminator", left);
          pos_ = buf_.size();
        } else {
          e.problem = fmt::format("no record terminator within {} bytes", kMaxRecord);
          SkipPastTerminator();
        }
        return e;
      }
      std::string_view bytes(buf_.data() + pos_, rt + 1 - pos_);
      pos_ = rt + 1;
      auto raw = ParseIso2709(bytes);
      if (!raw) {
        e.problem = raw.error();
        return e;
      }
      auto rec = DecodeRecord(*raw, DetectEncoding(*raw), marc8_, nfc_);
      if (!rec) {
        e.problem = rec.error();
        return e;
      }
      e.record = std::move(*rec);
      return e;
    }
  }

  std::uint64_t BytesRead() const override { return consumed_ + pos_; }

 private:
  static bool IsFiller(char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '\0' || c == '\x1A'; }

  // True when at least `n` bytes are buffered from pos_ (reading more if needed).
  bool Available(std::size_t n) {
    while (buf_.size() - pos_ < n && !eof_) Fill();
    return buf_.size() - pos_ >= n;
  }

  void Fill() {
    if (pos_ > kChunk) {  // drop what was consumed
      buf_.erase(0, pos_);
      consumed_ += pos_;
      pos_ = 0;
    }
    auto old = buf_.size();
    buf_.resize(old + kChunk);
    in_->read(buf_.data() + old, static_cast<std::streamsize>(kChunk));
    auto got = static_cast<std::size_t>(in_->gcount());
    buf_.resize(old + got);
    if (got == 0 || !*in_) eof_ = true;
  }

  // Index in buf_ of the next record terminator at most kMaxRecord bytes on, or npos.
  std::size_t FindTerminator() {
    std::size_t scanned = 0;  // relative to pos_, which Fill() may move
    for (;;) {
      auto limit = std::min(buf_.size(), pos_ + kMaxRecord);
      auto at = std::memchr(buf_.data() + pos_ + scanned, kRecordTerminator, limit - pos_ - scanned);
      if (at) return static_cast<std::size_t>(static_cast<const char*>(at) - buf_.data());
      if (limit == pos_ + kMaxRecord || eof_) return std::string::npos;
      scanned = limit - pos_;
      Fill();
    }
  }

  void SkipPastTerminator() {
    for (;;) {
      auto at = std::memchr(buf_.data() + pos_, kRecordTerminator, buf_.size() - pos_);
      if (at) {
        pos_ = static_cast<std::size_t>(static_cast<const char*>(at) - buf_.data()) + 1;
        return;
      }
      pos_ = buf_.size();
      if (eof_) return;
      Fill();
    }
  }

  std::unique_ptr<std::istream> in_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0;  // bytes dropped from the front of buf_
  bool eof_ = false;
  std::size_t index_ = 0;
  Marc8Decoder marc8_;
  NfcNormalizer nfc_;
};

std::string Text(xmlNodePtr node) {
  std::string out;
  xmlChar* s = xmlNodeGetContent(node);
  if (s) {
    out = reinterpret_cast<const char*>(s);
    xmlFree(s);
  }
  return out;
}

std::string Attr(xmlNodePtr node, const char* name) {
  std::string out;
  xmlChar* s = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (s) {
    out = reinterpret_cast<const char*>(s);
    xmlFree(s);
  }
  return out;
}

bool Named(xmlNodePtr node, const char* name) {
  return node->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

// An indicator attribute: "" is blank; more than one character cannot be an indicator.
char IndicatorAttr(const std::string& v) {
  if (v.empty()) return ' ';
  if (v.size() > 1) return '\x01';
  return v[0];
}

Record RecordFromXml(xmlNodePtr rec) {
  Record r;
  for (xmlNodePtr c = rec->children; c; c = c->next) {
    if (Named(c, "leader")) {
      r.leader = Text(c);
    } else if (Named(c, "controlfield")) {
      Field f;
      f.tag = Attr(c, "tag");
      f.data = Text(c);
      r.fields.push_back(std::move(f));
    } else if (Named(c, "datafield")) {
      Field f;
      f.tag = Attr(c, "tag");
      f.ind1 = IndicatorAttr(Attr(c, "ind1"));
      f.ind2 = IndicatorAttr(Attr(c, "ind2"));
      for (xmlNodePtr s = c->children; s; s = s->next) {
        if (!Named(s, "subfield")) continue;
        auto code = Attr(s, "code");
        f.subfields.push_back({code.size() == 1 ? code[0] : '\x01', Text(s)});
      }
      r.fields.push_back(std::move(f));
    }
  }
  return r;
}

class MarcXmlReader final : public MarcReader {
 public:
  MarcXmlReader(std::string path_or_bytes, bool in_memory, std::string name, std::uint64_t total)
      : MarcReader(std::move(name), Format::kMarcXml, total), bytes_(in_memory ? std::move(path_or_bytes) : "") {
    constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_HUGE | XML_PARSE_NOBLANKS;
    reader_ = in_memory ? xmlReaderForMemory(bytes_.data(), static_cast<int>(bytes_.size()), nullptr, nullptr, kOptions)
                        : xmlReaderForFile(path_or_bytes.c_str(), nullptr, kOptions);
    if (!reader_) throw std::runtime_error("cannot open " + this->name() + " as XML");
    xmlTextReaderSetStructuredErrorHandler(reader_, &MarcXmlReader::OnError, this);
  }
  ~MarcXmlReader() override {
    if (reader_) xmlFreeTextReader(reader_);
  }

  std::optional<ReadEntry> Next() override {
    if (done_) return std::nullopt;
    for (;;) {
      int ret = skip_ ? xmlTextReaderNext(reader_) : xmlTextReaderRead(reader_);
      skip_ = false;
      if (ret != 1) {
        done_ = true;
        if (ret == 0 && error_.empty()) return std::nullopt;
        ReadEntry e;
        e.index = index_ + 1;
        e.line = error_line_ ? error_line_ : xmlTextReaderGetParserLineNumber(reader_);
        e.problem = fmt::format("XML error: {}; the rest of the file is not read",
                                error_.empty() ? std::string("unreadable") : error_);
        return e;
      }
      if (xmlTextReaderNodeType(reader_) != XML_READER_TYPE_ELEMENT) continue;
      const xmlChar* local = xmlTextReaderConstLocalName(reader_);
      if (!local || std::strcmp(reinterpret_cast<const char*>(local), "record") != 0) continue;
      ReadEntry e;
      e.index = ++index_;
      xmlNodePtr node = xmlTextReaderExpand(reader_);
      skip_ = true;
      if (!node) continue;  // the parse error is reported on the next read
      e.line = xmlGetLineNo(node);
      auto rec = CheckRecord(RecordFromXml(node), nfc_);
      if (rec)
        e.record = std::move(*rec);
      else
        e.problem = rec.error();
      return e;
    }
  }

  std::uint64_t BytesRead() const override {
    auto n = xmlTextReaderByteConsumed(reader_);
    return n < 0 ? 0 : static_cast<std::uint64_t>(n);
  }

 private:
  static void OnError(void* self, xmlErrorPtr err) {
    auto* me = static_cast<MarcXmlReader*>(self);
    if (!err || err->level < XML_ERR_ERROR || !me->error_.empty()) return;
    std::string msg = err->message ? err->message : "XML error";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    me->error_ = fmt::format("{} (line {})", msg, err->line);
    me->error_line_ = err->line;
  }

  std::string bytes_;
  xmlTextReaderPtr reader_ = nullptr;
  bool skip_ = false, done_ = false;
  std::size_t index_ = 0;
  std::string error_;
  long error_line_ = 0;
  NfcNormalizer nfc_;
};

}  // namespace

Format DetectFormat(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  for (char c : head) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '<' ? Format::kMarcXml : Format::kIso2709;
  }
  return Format::kIso2709;
}

std::unique_ptr<MarcReader> MarcReader::OpenFile(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) throw std::runtime_error("cannot open " + path);
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) size = 0;
  std::string head(512, '\0');
  in->read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in->gcount()));
  auto name = std::filesystem::path(path).filename().string();
  if (DetectFormat(head) == Format::kMarcXml) return std::make_unique<MarcXmlReader>(path, false, name, size);
  in->clear();
  in->seekg(0);
  return std::make_unique<Iso2709Reader>(std::move(in), name, size);
}

std::unique_ptr<MarcReader> MarcReader::FromMemory(std::string bytes, std::string name) {
  auto size = bytes.size();
  if (DetectFormat(std::string_view(bytes).substr(0, 512)) == Format::kMarcXml)
    return std::make_unique<MarcXmlReader>(std::move(bytes), true, std::move(name), size);
  return std::make_unique<Iso2709Reader>(std::make_unique<std::istringstream>(std::move(bytes)), std::move(name), size);
}

std::string MarcReader::Position(const ReadEntry& e) const {
  if (format_ == Format::kMarcXml) return fmt::format("{} record {} (line {})", name_, e.index, e.line);
  return fmt::format("{} record {} (byte {})", name_, e.index, e.offset);
}

}  // namespace bookstamp::marc
