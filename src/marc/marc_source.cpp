// MarcReader entries -> import entries.
#include "marc/marc_source.hpp"

#include "marc/bib_mapping.hpp"

namespace bookstamp::marc {

std::optional<CatalogRecordSource::Entry> MarcSource::Next() {
  auto e = reader_->Next();
  if (!e) return std::nullopt;
  Entry out;
  auto position = reader_->Position(*e);
  if (!e->record) {
    out.kind = Entry::Kind::kRefused;
    out.problem = {position, e->problem};
    return out;
  }
  if (auto why = NotBibliographic(*e->record)) {
    out.kind = Entry::Kind::kIgnored;
    out.problem = {position, *why};
    return out;
  }
  auto rec = ToCatalogRecord(*e->record);
  if (!rec) {
    out.kind = Entry::Kind::kRefused;
    out.problem = {position, rec.error()};
    return out;
  }
  out.record = std::move(*rec);
  out.record.position = std::move(position);
  return out;
}

}  // namespace bookstamp::marc
