#include "t5/tasks/preprocessors.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <set>

#include "t5/tasks/text_ops.h"
#include "t5/util/names.h"

namespace t5 {

// Defined in preprocessors_wsc.cpp.
void add_wsc_preprocessors(PreprocessorRegistry& registry);

namespace {

// The field map as it is: one example per record.
void run_fields(const Record&, const Example& base, const PreprocessContext&,
                std::vector<Example>& out) {
  out.push_back(base);
}

void run_stsb(const Record& record, const Example& base, const PreprocessContext&,
              std::vector<Example>& out) {
  Example example = base;
  auto label = example.fields.find("label");
  if (label != example.fields.end() && !label->second.empty()) {
    const std::string& text = label->second;
    char* end = nullptr;
    float score = std::strtof(text.c_str(), &end);
    if (end == text.c_str() || !strip(end).empty() || !std::isfinite(score)) {
      throw RecordError(record.where,
                        fmt::format("STS-B score '{}' is not a number (expected 0 to 5)", text));
    }
    label->second = format_stsb_score(score);
  }
  out.push_back(std::move(example));
}

const Json& require(const Json& object, const char* key, Json::value_t type,
                    const RecordLocation& where, const std::string& context) {
  auto it = object.is_object() ? object.find(key) : object.end();
  bool number = type == Json::value_t::number_integer;
  if (it == object.end() || (number ? !it->is_number_integer() : it->type() != type)) {
    throw RecordError(where, fmt::format("{}missing or mistyped key '{}' (expected {})", context,
                                         key, Json(type).type_name()));
  }
  return *it;
}

void run_squad(const Record& record, const Example& base, const PreprocessContext&,
               std::vector<Example>& out) {
  const Json& value = record.value;
  Example example = base;
  example.fields["question"] = pad_punctuation(
      require(value, "question", Json::value_t::string, record.where, "").get<std::string>());
  example.fields["context"] = pad_punctuation(
      require(value, "context", Json::value_t::string, record.where, "").get<std::string>());
  example.fields["title"] = value.value("title", "");
  const Json& answers = require(value, "answers", Json::value_t::array, record.where, "");
  for (const auto& answer : answers) {
    if (!answer.is_string()) throw RecordError(record.where, "answers must be strings");
    example.answers.push_back(pad_punctuation(answer.get<std::string>()));
  }
  example.fields["answer"] = example.answers.empty() ? "" : example.answers.front();
  if (value.contains("id") && value["id"].is_string()) example.id = value["id"].get<std::string>();
  out.push_back(std::move(example));
}

std::string json_id(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// The distinct entity strings of a ReCoRD passage, sorted (character
// offsets, inclusive end).
std::string record_entities(const Json& passage, const std::string& text,
                            const RecordLocation& where) {
  std::set<std::string> entities;
  const Json& spans = require(passage, "entities", Json::value_t::array, where, "passage: ");
  for (const auto& span : spans) {
    auto start =
        require(span, "start", Json::value_t::number_integer, where, "entity: ").get<int64_t>();
    auto end =
        require(span, "end", Json::value_t::number_integer, where, "entity: ").get<int64_t>();
    size_t from = start < 0 ? std::string::npos : utf8_byte_offset(text, start);
    size_t to = end < start ? std::string::npos : utf8_byte_offset(text, end + 1);
    if (from == std::string::npos || to == std::string::npos) {
      throw RecordError(where,
                        fmt::format("entity span [{}, {}] lies outside the passage", start, end));
    }
    entities.insert(text.substr(from, to - from));
  }
  return join(std::vector<std::string>(entities.begin(), entities.end()), ", ");
}

void run_record(const Record& record, const Example& base, const PreprocessContext&,
                std::vector<Example>& out) {
  const RecordLocation& where = record.where;
  const Json& passage = require(record.value, "passage", Json::value_t::object, where, "");
  auto text =
      require(passage, "text", Json::value_t::string, where, "passage: ").get<std::string>();
  std::string entities = record_entities(passage, text, where);
  std::string formatted = format_record_passage(text);
  std::string passage_id = record.value.contains("idx") ? json_id(record.value["idx"]) : "";
  for (const auto& qa : require(record.value, "qas", Json::value_t::array, where, "")) {
    Example example = base;
    example.fields["query"] =
        require(qa, "query", Json::value_t::string, where, "qas: ").get<std::string>();
    example.fields["entities"] = entities;
    example.fields["passage"] = formatted;
    std::set<std::string> answers;
    if (qa.contains("answers")) {
      for (const auto& answer : require(qa, "answers", Json::value_t::array, where, "qas: ")) {
        answers.insert(
            require(answer, "text", Json::value_t::string, where, "answer: ").get<std::string>());
      }
    }
    example.answers.assign(answers.begin(), answers.end());
    example.id = fmt::format("{}-{}", passage_id, qa.contains("idx") ? json_id(qa["idx"]) : "");
    example.group = example.id;
    // One training example per distinct answer; "<unk>" when there is none.
    if (example.answers.empty()) {
      example.fields["answer"] = "<unk>";
      out.push_back(std::move(example));
      continue;
    }
    for (const auto& answer : example.answers) {
      Example copy = example;
      copy.fields["answer"] = answer;
      out.push_back(std::move(copy));
    }
  }
}

void run_multirc(const Record& record, const Example& base, const PreprocessContext&,
                 std::vector<Example>& out) {
  const RecordLocation& where = record.where;
  const Json& passage = require(record.value, "passage", Json::value_t::object, where, "");
  std::string paragraph = strip_multirc_markup(
      require(passage, "text", Json::value_t::string, where, "passage: ").get<std::string>());
  std::string paragraph_id = record.value.contains("idx") ? json_id(record.value["idx"]) : "";
  for (const auto& question : require(passage, "questions", Json::value_t::array, where, "")) {
    std::string question_text = strip_multirc_markup(
        require(question, "question", Json::value_t::string, where, "question: ")
            .get<std::string>());
    std::string question_id = question.contains("idx") ? json_id(question["idx"]) : "";
    for (const auto& answer : require(question, "answers", Json::value_t::array, where, "")) {
      Example example = base;
      example.fields["paragraph"] = paragraph;
      example.fields["question"] = question_text;
      example.fields["answer"] = strip_multirc_markup(
          require(answer, "text", Json::value_t::string, where, "answer: ").get<std::string>());
      example.fields.erase("label");
      if (answer.contains("label") && !answer["label"].is_null()) {
        const Json& label = answer["label"];
        bool truth = label.is_boolean() ? label.get<bool>()
                                        : (label.is_number() && label.get<double>() != 0);
        example.fields["label"] = truth ? "1" : "0";
      }
      example.group = fmt::format("{}-{}", paragraph_id, question_id);
      example.id =
          fmt::format("{}-{}", example.group, answer.contains("idx") ? json_id(answer["idx"]) : "");
      out.push_back(std::move(example));
    }
  }
}

}  // namespace

std::string format_stsb_score(float score) {
  // float32 throughout, with round-half-to-even, as tf.round does.
  float rounded = std::nearbyint(score * 5.0f) / 5.0f;
  return fmt::format("{:.1f}", rounded);
}

std::string format_record_passage(const std::string& passage) {
  static const std::string kMarker = "\n@highlight\n";
  std::string out;
  out.reserve(passage.size());
  size_t start = 0;
  while (true) {
    size_t hit = passage.find(kMarker, start);
    if (hit == std::string::npos) break;
    out.append(passage, start, hit - start);
    char before = hit > 0 ? passage[hit - 1] : '\0';
    bool closed =
        before == '.' || before == '?' || before == '!' || before == '"' || before == '\'';
    out += closed ? " " : ". ";
    start = hit + kMarker.size();
  }
  out.append(passage, start, std::string::npos);
  return out;
}

std::string strip_multirc_markup(const std::string& text) {
  return replace_all(replace_all(replace_all(text, "<br>", " "), "<b>", ""), "</b>", "");
}

void PreprocessorRegistry::add(const std::string& name, PreprocessorInfo info) {
  T5_CHECK(!name.empty(), "a preprocessor needs a name");
  T5_CHECK(info.run != nullptr, "preprocessor '{}' has no function", name);
  T5_CHECK(preprocessors_.count(name) == 0, "preprocessor '{}' is already registered", name);
  preprocessors_[name] = std::move(info);
}

const PreprocessorInfo& PreprocessorRegistry::get(const std::string& name) const {
  auto it = preprocessors_.find(name);
  T5_CHECK(it != preprocessors_.end(), "no preprocessor named '{}'{}; known: {}", name,
           did_you_mean(name, list()), join(list(), ", "));
  return it->second;
}

bool PreprocessorRegistry::contains(const std::string& name) const {
  return preprocessors_.count(name) > 0;
}

std::vector<std::string> PreprocessorRegistry::list() const {
  std::vector<std::string> names;
  for (const auto& entry : preprocessors_) names.push_back(entry.first);
  return names;
}

void add_builtin_preprocessors(PreprocessorRegistry& registry) {
  registry.add("fields", {run_fields, {}, {}, {}, "the mapped fields as they are"});
  registry.add("stsb", {run_stsb, {"label"}, {}, {}, "STS-B: the score rounded to 0.2"});
  registry.add("squad", {run_squad,
                         {},
                         {"question", "context", "answer", "title"},
                         {},
                         "SQuAD: punctuation padded in question, context and answers"});
  registry.add("record", {run_record,
                          {},
                          {"query", "entities", "passage", "answer"},
                          {},
                          "ReCoRD: one example per answer, highlights joined"});
  registry.add("multirc", {run_multirc,
                           {},
                           {"paragraph", "question", "answer", "label"},
                           {},
                           "MultiRC: one example per answer, markup removed"});
  add_wsc_preprocessors(registry);
}

}  // namespace t5
