#include "t5/tasks/sources.h"

#include <algorithm>

#include "t5/tasks/text_ops.h"
#include "t5/util/names.h"

namespace t5 {
namespace fs = std::filesystem;
namespace {

bool has_wildcard(const std::string& text) { return text.find_first_of("*?") != std::string::npos; }

// Shell-style match of a file name against * (any run) and ? (one byte).
bool wildcard_match(const std::string& pattern, const std::string& name) {
  size_t p = 0;
  size_t n = 0;
  size_t star = std::string::npos;
  size_t resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

fs::path under_root(const fs::path& data_dir, const std::string& pattern) {
  fs::path path(pattern);
  return path.is_absolute() ? path : data_dir / path;
}

std::vector<fs::path> expand_pattern(const fs::path& pattern) {
  std::vector<fs::path> matches;
  fs::path folder = pattern.parent_path();
  T5_CHECK(!has_wildcard(folder.string()),
           "{}: wildcards are allowed in the file name only, not in folder names",
           pattern.string());
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return matches;
  std::string name_pattern = pattern.filename().string();
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && wildcard_match(name_pattern, entry.path().filename().string())) {
      matches.push_back(entry.path());
    }
  }
  std::sort(matches.begin(), matches.end());
  return matches;
}

Json options_without(const Json& json, std::initializer_list<const char*> keys) {
  Json options = Json::object();
  for (auto it = json.begin(); it != json.end(); ++it) {
    bool excluded =
        std::any_of(keys.begin(), keys.end(), [&](const char* key) { return it.key() == key; });
    if (!excluded) options[it.key()] = it.value();
  }
  return options;
}

// Source options merged with a split's own (the split's win).
Json merged(const Json& base, const Json& over) {
  Json out = base;
  for (auto it = over.begin(); it != over.end(); ++it) out[it.key()] = it.value();
  return out;
}

const std::vector<std::string> kFormats = {"tsv",   "csv",  "jsonl",   "c4",
                                           "squad", "text", "parallel"};

}  // namespace

SplitSpec SplitSpec::from_json(const Json& json, const std::string& where) {
  SplitSpec split;
  Json files = json;
  if (json.is_object()) {
    T5_CHECK(json.contains("files"), "{}: expected a \"files\" key (a path or a list of paths)",
             where);
    files = json.at("files");
    split.options = options_without(json, {"files"});
  }
  if (files.is_string()) {
    split.files.push_back(files.get<std::string>());
  } else if (files.is_array()) {
    for (const auto& file : files) {
      T5_CHECK(file.is_string(), "{}: expected file paths as strings, got {}", where, file.dump());
      split.files.push_back(file.get<std::string>());
    }
  } else if (files.is_object()) {
    for (auto it = files.begin(); it != files.end(); ++it) {
      T5_CHECK(it.value().is_string(), "{}: files.{}: expected a path, got {}", where, it.key(),
               it.value().dump());
      split.aligned[it.key()] = it.value().get<std::string>();
    }
  } else {
    fail("{}: expected a path, a list of paths or {{\"files\": ...}}, got {}", where, json.dump());
  }
  T5_CHECK(!split.files.empty() || !split.aligned.empty(), "{}: the split names no files", where);
  return split;
}

Json SplitSpec::to_json() const {
  Json files = aligned.empty() ? Json(this->files) : Json(aligned);
  if (options.empty() && aligned.empty() && this->files.size() == 1) return files;
  Json json = options;
  json["files"] = files;
  return json;
}

SourceSpec SourceSpec::from_json(const Json& json, const std::string& where) {
  T5_CHECK(json.is_object(), "{}: expected an object, got {}", where, json.dump());
  SourceSpec source;
  T5_CHECK(json.contains("format") && json.at("format").is_string(),
           "{}: expected \"format\": one of {}", where, join(kFormats, ", "));
  source.format = json.at("format").get<std::string>();
  T5_CHECK(std::find(kFormats.begin(), kFormats.end(), source.format) != kFormats.end(),
           "{}.format: '{}' is not a known format{}; known: {}", where, source.format,
           did_you_mean(source.format, kFormats), join(kFormats, ", "));
  T5_CHECK(json.contains("splits") && json.at("splits").is_object() && !json.at("splits").empty(),
           "{}: expected \"splits\": {{\"train\": \"path\", \"validation\": ...}}", where);
  source.options = options_without(json, {"format", "splits"});
  check_source_options(source.format, source.options, where);
  const Json& splits = json.at("splits");
  for (auto it = splits.begin(); it != splits.end(); ++it) {
    std::string split_where = where + ".splits." + it.key();
    SplitSpec split = SplitSpec::from_json(it.value(), split_where);
    bool parallel = source.format == "parallel";
    T5_CHECK(parallel == !split.aligned.empty(), "{}: {}", split_where,
             parallel ? "the parallel format takes {\"files\": {\"en\": path, \"de\": path}}"
                      : "expected a path or a list of paths");
    if (parallel) {
      T5_CHECK(split.aligned.size() >= 2, "{}: the parallel format needs two or more files",
               split_where);
    }
    check_source_options(source.format, merged(source.options, split.options), split_where);
    source.splits[it.key()] = std::move(split);
  }
  return source;
}

Json SourceSpec::to_json() const {
  Json json = options;
  json["format"] = format;
  Json split_json = Json::object();
  for (const auto& [name, split] : splits) split_json[name] = split.to_json();
  json["splits"] = split_json;
  return json;
}

std::vector<fs::path> resolve_split_files(const fs::path& data_dir, const SplitSpec& split,
                                          const std::string& where) {
  std::vector<fs::path> files;
  std::vector<std::string> looked_for;
  for (const auto& pattern : split.files) {
    fs::path path = under_root(data_dir, pattern);
    looked_for.push_back(path.string());
    if (!has_wildcard(pattern)) {
      T5_CHECK(fs::is_regular_file(path),
               "{}: no file {} (the path {} under the data root {}); pass --data-dir or set "
               "T5_DATA_DIR to the folder that holds it",
               where, path.string(), pattern, data_dir.string());
      files.push_back(path);
      continue;
    }
    auto matches = expand_pattern(path);
    files.insert(files.end(), matches.begin(), matches.end());
  }
  T5_CHECK(!files.empty(), "{}: no file matches {} (under the data root {})", where,
           join(looked_for, ", "), data_dir.string());
  return files;
}

std::map<std::string, fs::path> resolve_aligned_files(const fs::path& data_dir,
                                                      const SplitSpec& split,
                                                      const std::string& where) {
  std::map<std::string, fs::path> files;
  for (const auto& [language, pattern] : split.aligned) {
    fs::path path = under_root(data_dir, pattern);
    T5_CHECK(fs::is_regular_file(path),
             "{}: no file {} (the {} side, {} under the data root {}); pass --data-dir or set "
             "T5_DATA_DIR to the folder that holds it",
             where, path.string(), language, pattern, data_dir.string());
    files[language] = path;
  }
  return files;
}

std::vector<std::string> source_format_names() { return kFormats; }

void check_source_options(const std::string& format, const Json& options,
                          const std::string& where) {
  if (format == "tsv") {
    TsvOptions::from_json(options, where);
  } else if (format == "csv") {
    CsvOptions::from_json(options, where);
  } else if (format == "text") {
    TextOptions::from_json(options, where);
  } else {
    JsonFields fields(options, where);
    fields.finish();
  }
}

std::unique_ptr<RecordReader> open_record_reader(const std::string& format, const Json& options,
                                                 const fs::path& file) {
  std::string where = file.string();
  if (format == "tsv") return open_tsv_reader(file, TsvOptions::from_json(options, where));
  if (format == "csv") return open_csv_reader(file, CsvOptions::from_json(options, where));
  if (format == "jsonl") return open_json_lines_reader(file, /*require_text=*/false);
  if (format == "c4") return open_json_lines_reader(file, /*require_text=*/true);
  if (format == "squad") return open_squad_reader(file);
  if (format == "text") return open_text_reader(file, TextOptions::from_json(options, where));
  fail("{}: format '{}' cannot be opened one file at a time; known formats: {}", where, format,
       join(kFormats, ", "));
}

RecordStream::RecordStream(std::unique_ptr<RecordReader> reader, OnBadRecord policy)
    : reader_(std::move(reader)), policy_(policy) {}

bool RecordStream::next(Record& record) {
  while (true) {
    try {
      bool more = reader_->next(record);
      if (more) ++stats_.records;
      return more;
    } catch (const RecordError& e) {
      if (policy_ == OnBadRecord::kFail) throw;
      stats_.add_skipped(e.what());
    }
  }
}

}  // namespace t5
