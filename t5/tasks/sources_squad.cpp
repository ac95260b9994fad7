// SQuAD JSON: {"version": ..., "data": [article, ...]} where an article is
// {"title", "paragraphs": [{"context", "qas": [{"id", "question",
// "answers": [{"text", "answer_start"}]}]}]}. The file is one JSON document,
// so it is scanned article by article: only one article is held in memory,
// and a malformed article or question is one bad record, not a bad file.
#include <fmt/format.h>

#include <deque>
#include <variant>

#include "t5/tasks/input_file.h"
#include "t5/tasks/sources.h"
#include "t5/tasks/sources_json.h"

namespace t5 {
namespace {

bool is_json_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class SquadReader : public RecordReader {
 public:
  explicit SquadReader(const std::filesystem::path& file) : in_(file) {}

  bool next(Record& record) override {
    if (!started_) start();
    while (pending_.empty()) {
      if (!in_data_) return false;
      read_article();
    }
    auto item = std::move(pending_.front());
    pending_.pop_front();
    if (auto* error = std::get_if<RecordError>(&item)) throw *error;
    record = std::move(std::get<Record>(item));
    return true;
  }

 private:
  void skip_space() {
    while (is_json_space(in_.peek())) in_.get();
  }

  [[noreturn]] void fail_structure(const std::string& expected) {
    int c = in_.peek();
    std::string got = c == -1 ? "the end of the file" : fmt::format("'{}'", static_cast<char>(c));
    fail("{}:{}: expected {}, got {}; is this a SQuAD JSON file ({{\"data\": [...]}})?", in_.path(),
         in_.current_line(), expected, got);
  }

  void expect(char c, const std::string& what) {
    skip_space();
    if (in_.peek() != c) fail_structure(what);
    in_.get();
  }

  // Copies one JSON value's text (object, array, string or scalar). False
  // when the file ends inside it.
  bool capture_value(std::string& out) {
    out.clear();
    int first = in_.peek();
    if (first != '{' && first != '[' && first != '"') {
      while (in_.peek() != -1 && !is_json_space(in_.peek()) && in_.peek() != ',' &&
             in_.peek() != '}' && in_.peek() != ']') {
        out.push_back(static_cast<char>(in_.get()));
      }
      return !out.empty();
    }
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    while (true) {
      int c = in_.get();
      if (c == -1) return false;
      out.push_back(static_cast<char>(c));
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
          if (depth == 0) return true;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return true;
      }
    }
  }

  std::string read_key() {
    skip_space();
    if (in_.peek() != '"') fail_structure("a key in quotes");
    std::string key;
    if (!capture_value(key)) fail_structure("the end of a key");
    return key.substr(1, key.size() - 2);
  }

  // Walks the top-level object up to the opening of its "data" array.
  void start() {
    started_ = true;
    expect('{', "'{' (a JSON object)");
    while (true) {
      skip_space();
      if (in_.peek() == '}') fail_structure("a \"data\" key");
      std::string key = read_key();
      expect(':', "':' after a key");
      skip_space();
      if (key == "data") {
        expect('[', "'[' (the list of articles)");
        in_data_ = true;
        return;
      }
      std::string ignored;
      if (!capture_value(ignored)) fail_structure("the value of \"" + key + "\"");
      skip_space();
      if (in_.peek() == ',') in_.get();
    }
  }

  void read_article() {
    skip_space();
    if (in_.peek() == ',' && articles_ > 0) {
      in_.get();
      skip_space();
    }
    if (in_.peek() == ']') {
      in_.get();
      in_data_ = false;
      return;
    }
    RecordLocation where{in_.path(), in_.current_line()};
    ++articles_;
    std::string text;
    if (!capture_value(text)) {
      in_data_ = false;
      pending_.emplace_back(RecordError(
          where, fmt::format("article {} does not end before the end of the file; is the file "
                             "truncated?",
                             articles_)));
      return;
    }
    try {
      flatten(parse_json_record(text, where), where);
    } catch (const RecordError& e) {
      pending_.emplace_back(e);
    }
  }

  // One record per question; a malformed question becomes a pending error
  // in its place, so the questions around it are still read.
  void flatten(const Json& article, const RecordLocation& where) {
    std::string label = fmt::format("article {}", articles_);
    if (!article.is_object() || !article.contains("paragraphs") ||
        !article["paragraphs"].is_array()) {
      throw RecordError(where, label + ": expected an object with a \"paragraphs\" list");
    }
    std::string title = article.value("title", "");
    if (!title.empty()) label += " ('" + title + "')";
    const Json& paragraphs = article["paragraphs"];
    for (size_t p = 0; p < paragraphs.size(); ++p) {
      std::string paragraph_label = fmt::format("{}, paragraph {}", label, p + 1);
      const Json& paragraph = paragraphs[p];
      if (!paragraph.is_object() || !paragraph.contains("context") ||
          !paragraph["context"].is_string() || !paragraph.contains("qas") ||
          !paragraph["qas"].is_array()) {
        pending_.emplace_back(RecordError(
            where, paragraph_label + ": expected a string \"context\" and a \"qas\" list"));
        continue;
      }
      const Json& qas = paragraph["qas"];
      for (size_t q = 0; q < qas.size(); ++q) {
        add_question(qas[q], title, paragraph["context"], where,
                     fmt::format("{}, question {}", paragraph_label, q + 1));
      }
    }
  }

  void add_question(const Json& qa, const std::string& title, const Json& context,
                    const RecordLocation& where, const std::string& label) {
    bool good = qa.is_object() && qa.contains("question") && qa["question"].is_string() &&
                qa.contains("id") && qa["id"].is_string();
    Json answers = Json::array();
    Json starts = Json::array();
    if (good && qa.contains("answers")) {
      good = qa["answers"].is_array();
      for (const auto& answer : good ? qa["answers"] : Json::array()) {
        if (!answer.is_object() || !answer.contains("text") || !answer["text"].is_string()) {
          good = false;
          break;
        }
        answers.push_back(answer["text"]);
        starts.push_back(answer.value("answer_start", -1));
      }
    }
    if (!good) {
      pending_.emplace_back(RecordError(
          where, label + ": expected a string \"id\", a string \"question\" and \"answers\" "
                         "as a list of {\"text\": ...}"));
      return;
    }
    Json value = {{"id", qa["id"]},     {"title", title},
                  {"context", context}, {"question", qa["question"]},
                  {"answers", answers}, {"answer_starts", starts}};
    pending_.emplace_back(Record{std::move(value), where});
  }

  InputFile in_;
  bool started_ = false;
  bool in_data_ = false;
  int64_t articles_ = 0;
  std::deque<std::variant<Record, RecordError>> pending_;
};

}  // namespace

std::unique_ptr<RecordReader> open_squad_reader(const std::filesystem::path& file) {
  return std::make_unique<SquadReader>(file);
}

}  // namespace t5
