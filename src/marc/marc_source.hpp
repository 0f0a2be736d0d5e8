// A MARC file as a source of catalog records for CatalogImporter (app/catalog_import.hpp):
// good bibliographic records become records, broken ones are refused with their position and
// reason, authority and holdings records are ignored with a note.
// Usage:
//   MarcSource source(MarcReader::OpenFile("uva.mrc"));
//   importer.Import(source, progress);
#pragma once
#include <memory>

#include "app/catalog_import.hpp"
#include "marc/marc_reader.hpp"

namespace bookstamp::marc {

class MarcSource final : public CatalogRecordSource {
 public:
  explicit MarcSource(std::unique_ptr<MarcReader> reader) : reader_(std::move(reader)) {}

  std::optional<Entry> Next() override;
  std::uint64_t BytesRead() const override { return reader_->BytesRead(); }
  std::uint64_t BytesTotal() const override { return reader_->BytesTotal(); }

 private:
  std::unique_ptr<MarcReader> reader_;
};

}  // namespace bookstamp::marc
