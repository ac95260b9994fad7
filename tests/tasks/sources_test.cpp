// The sources on small files the tests write: what each reads, and how each
// reports malformed input (file:line and reason) under both policies.
#include "t5/tasks/sources.h"

#include <catch2/catch.hpp>

#include "tests/tasks/task_test_util.h"

using t5::OnBadRecord;
using t5::ReadStats;
using t5::testing::read_all;
using t5::testing::TempDir;

namespace {

// Reading under kFail throws a RecordError whose message holds `where`
// (file:line) and `reason`; under kSkip the good records come back and the
// bad one is counted. Returns the records read under kSkip.
template <typename Open>
std::vector<t5::Record> check_bad_record(Open open, const std::string& where,
                                         const std::string& reason, int64_t skipped = 1) {
  CHECK_THROWS_AS(read_all(open(), OnBadRecord::kFail), t5::RecordError);
  CHECK_THROWS_WITH(read_all(open(), OnBadRecord::kFail),
                    Catch::Contains(where) && Catch::Contains(reason));
  ReadStats stats;
  auto records = read_all(open(), OnBadRecord::kSkip, &stats);
  CHECK(stats.skipped == skipped);
  REQUIRE(!stats.skipped_messages.empty());
  CHECK_THAT(stats.skipped_messages.front(), Catch::Contains(where) && Catch::Contains(reason));
  CHECK(stats.records == static_cast<int64_t>(records.size()));
  return records;
}

}  // namespace

TEST_CASE("tsv source reads GLUE files with and without a header", "[tasks][sources]") {
  TempDir dir;
  SECTION("a header names the columns; quotes are text; no final newline") {
    // QNLI has fields that open a quote and never close it.
    auto file = dir.write("dev.tsv",
                          "index\tquestion\tsentence\tlabel\n"
                          "0\tWhy?\t\" All this compares\tentailment\n"
                          "1\tWho said \"no\"?\tHe did.\tnot_entailment");
    auto records = read_all(t5::open_tsv_reader(file, {}), OnBadRecord::kFail);
    REQUIRE(records.size() == 2);
    CHECK(records[0].value["sentence"] == "\" All this compares");
    CHECK(records[1].value["question"] == "Who said \"no\"?");
    CHECK(records[1].value["label"] == "not_entailment");
    CHECK(records[1].where.str() == file.string() + ":3");
  }
  SECTION("columns named in the spec when there is no header (CoLA)") {
    auto file = dir.write("train.tsv", "gj04\t1\t\tOur friends won't buy this.\r\n");
    t5::TsvOptions options;
    options.header = false;
    options.columns = {"source", "label", "original_label", "sentence"};
    auto records = read_all(t5::open_tsv_reader(file, options), OnBadRecord::kFail);
    REQUIRE(records.size() == 1);
    CHECK(records[0].value["sentence"] == "Our friends won't buy this.");
    CHECK(records[0].value["original_label"] == "");
  }
  SECTION("a UTF-8 byte order mark before the header is dropped (MRPC)") {
    auto file = dir.write("mrpc.tsv", "\xEF\xBB\xBFQuality\t#1 String\n1\tHe said.\n");
    auto records = read_all(t5::open_tsv_reader(file, {}), OnBadRecord::kFail);
    REQUIRE(records.size() == 1);
    CHECK(records[0].value["Quality"] == "1");
  }
  SECTION("csv quoting reads quoted fields when asked") {
    auto file = dir.write("q.tsv", "a\tb\n\"x\ty\"\t\"say \"\"hi\"\"\"\n");
    auto options = t5::TsvOptions::from_json({{"quoting", "csv"}}, "test");
    auto records = read_all(t5::open_tsv_reader(file, options), OnBadRecord::kFail);
    REQUIRE(records.size() == 1);
    CHECK(records[0].value["a"] == "x\ty");
    CHECK(records[0].value["b"] == "say \"hi\"");
  }
}

TEST_CASE("tsv source reports a wrong column count with file and line", "[tasks][sources]") {
  TempDir dir;
  auto file = dir.write("dev.tsv",
                        "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n"
                        "1\tonly two\n2\tc\td\tnot_entailment\n");
  auto records = check_bad_record([&] { return t5::open_tsv_reader(file, {}); },
                                  file.string() + ":3", "expected 4 tab-separated fields");
  REQUIRE(records.size() == 2);
  CHECK(records[1].value["index"] == "2");
}

TEST_CASE("tsv source reports bad UTF-8 with file and line", "[tasks][sources]") {
  TempDir dir;
  auto file = dir.write("dev.tsv", "sentence\tlabel\nfine\t1\nbad \xff byte\t0\nok\t1\n");
  auto records = check_bad_record([&] { return t5::open_tsv_reader(file, {}); },
                                  file.string() + ":3", "invalid UTF-8 at byte 5 (0xff)");
  CHECK(records.size() == 2);
}

TEST_CASE("tsv options reject unknown keys with the nearest one", "[tasks][sources]") {
  CHECK_THROWS_WITH(t5::TsvOptions::from_json({{"headr", false}}, "spec.json"),
                    Catch::Contains("unknown key 'headr'") && Catch::Contains("'header'"));
  CHECK_THROWS_WITH(t5::TsvOptions::from_json({{"quoting", "smart"}}, "spec.json"),
                    Catch::Contains("quoting 'smart' is not known"));
}

TEST_CASE("csv source reads quoted multi-line fields as RFC 4180 says", "[tasks][sources]") {
  TempDir dir;
  // The Kaggle CNN/DM export: an unnamed index column, CRLF row ends, line
  // breaks inside quoted highlights.
  auto file = dir.write("train.csv",
                        ",id,article,highlights\r\n"
                        "0,abc,\"By . AP . The \"\"bishop\"\", he said.\",\"First .\nSecond .\"\r\n"
                        "1,def,plain,\"x, y\"\r\n");
  auto records = read_all(t5::open_csv_reader(file, {}), OnBadRecord::kFail);
  REQUIRE(records.size() == 2);
  CHECK(records[0].value[""] == "0");
  CHECK(records[0].value["article"] == "By . AP . The \"bishop\", he said.");
  CHECK(records[0].value["highlights"] == "First .\nSecond .");
  CHECK(records[1].value["highlights"] == "x, y");
  CHECK(records[1].where.str() == file.string() + ":4");
}

TEST_CASE("csv source reports malformed rows with file and line", "[tasks][sources]") {
  TempDir dir;
  SECTION("wrong column count") {
    auto file = dir.write("a.csv", "id,article,highlights\n1,a,b\n2,only\n3,c,d\n");
    auto records = check_bad_record([&] { return t5::open_csv_reader(file, {}); },
                                    file.string() + ":3", "expected 3 comma-separated fields");
    CHECK(records.size() == 2);
  }
  SECTION("text after a closing quote") {
    auto file = dir.write("a.csv", "id,article\n1,\"a\"b\n2,c\n");
    auto records = check_bad_record([&] { return t5::open_csv_reader(file, {}); },
                                    file.string() + ":2", "after the closing quote");
    REQUIRE(records.size() == 1);
    CHECK(records[0].value["id"] == "2");
  }
  SECTION("a quote that never closes") {
    auto file = dir.write("a.csv", "id,article\n1,fine\n2,\"runs\nto the end\n");
    auto records = check_bad_record([&] { return t5::open_csv_reader(file, {}); },
                                    file.string() + ":3", "unterminated quoted field");
    CHECK(records.size() == 1);
  }
  SECTION("bad UTF-8 in a field") {
    auto file = dir.write("a.csv", "id,article\n1,\"caf\xc3\"\n");
    check_bad_record([&] { return t5::open_csv_reader(file, {}); }, file.string() + ":2",
                     "column 'article': invalid UTF-8");
  }
}

TEST_CASE("json lines source reads objects and reports bad lines", "[tasks][sources]") {
  TempDir dir;
  SECTION("objects, blank lines skipped") {
    auto file = dir.write("val.jsonl", "{\"label\": true, \"idx\": 0}\n\n{\"label\": false}\n");
    auto records = read_all(t5::open_json_lines_reader(file, false), OnBadRecord::kFail);
    REQUIRE(records.size() == 2);
    CHECK(records[1].value["label"] == false);
    CHECK(records[1].where.line == 3);
  }
  SECTION("bad JSON") {
    auto file = dir.write("val.jsonl", "{\"a\": 1}\n{\"a\": 2,}\n{\"a\": 3}\n");
    auto records = check_bad_record([&] { return t5::open_json_lines_reader(file, false); },
                                    file.string() + ":2", "invalid JSON");
    CHECK(records.size() == 2);
  }
  SECTION("not an object") {
    auto file = dir.write("val.jsonl", "[1, 2]\n{\"a\": 3}\n");
    check_bad_record([&] { return t5::open_json_lines_reader(file, false); }, file.string() + ":1",
                     "expected a JSON object, got array");
  }
  SECTION("bad UTF-8") {
    auto file = dir.write("val.jsonl", "{\"a\": \"\xc3\x28\"}\n");
    check_bad_record([&] { return t5::open_json_lines_reader(file, false); }, file.string() + ":1",
                     "invalid UTF-8 at byte 8");
  }
}

TEST_CASE("c4 source streams .json.gz shards and needs a text field", "[tasks][sources]") {
  TempDir dir;
  auto file = dir.write_gz("c4-train.00000-of-01024.json.gz",
                           "{\"text\":\"Beginners BBQ Class\",\"url\":\"u\"}\n"
                           "{\"url\":\"no text\"}\n{\"text\":\"Second doc\\nline two\"}");
  auto records = check_bad_record([&] { return t5::open_json_lines_reader(file, true); },
                                  file.string() + ":2", "expected a string \"text\"");
  REQUIRE(records.size() == 2);
  CHECK(records[1].value["text"] == "Second doc\nline two");
}

TEST_CASE("a gzip file cut short fails whatever the policy", "[tasks][sources]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "{\"text\": \"document " + std::to_string(i) + "\"}\n";
  auto file = dir.write_gz("c4-train.00000-of-01024.json.gz", text);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
  for (auto policy : {OnBadRecord::kFail, OnBadRecord::kSkip}) {
    CHECK_THROWS_WITH(
        read_all(t5::open_json_lines_reader(file, true), policy),
        Catch::Contains(file.string()) && Catch::Contains("is the .gz file complete"));
  }
}

TEST_CASE("squad source yields one record per question of the nested file", "[tasks][sources]") {
  TempDir dir;
  auto file = dir.write("dev.json", R"({"data": [
  {"title": "T1", "paragraphs": [
    {"context": "C one.", "qas": [
      {"id": "q1", "question": "Q1?", "answers": [{"text": "one", "answer_start": 2}]},
      {"id": "q2", "question": "Q2?", "answers": []}]}]},
  {"title": "T2", "paragraphs": [{"context": "C two.", "qas": [
      {"id": "q3", "question": "Q3?", "answers": [{"text": "two"}, {"text": "C two"}]}]}]}
], "version": "1.1"})");
  auto records = read_all(t5::open_squad_reader(file), OnBadRecord::kFail);
  REQUIRE(records.size() == 3);
  CHECK(records[0].value["context"] == "C one.");
  CHECK(records[0].value["answers"] == t5::Json::array({"one"}));
  CHECK(records[2].value["id"] == "q3");
  CHECK(records[2].value["title"] == "T2");
  CHECK(records[2].value["answers"].size() == 2);
  CHECK(records[2].where.line == 6);
}

TEST_CASE("squad source reports malformed articles and questions", "[tasks][sources]") {
  TempDir dir;
  SECTION("a question without its text; the others are kept") {
    auto file = dir.write("dev.json", R"({"version": "1.1", "data": [
  {"title": "T", "paragraphs": [{"context": "C.", "qas": [
    {"id": "q1", "answers": []},
    {"id": "q2", "question": "Q2?", "answers": []}]}]}]})");
    auto records =
        check_bad_record([&] { return t5::open_squad_reader(file); }, file.string() + ":2",
                         "article 1 ('T'), paragraph 1, question 1");
    REQUIRE(records.size() == 1);
    CHECK(records[0].value["id"] == "q2");
  }
  SECTION("bad JSON inside an article, on the line it is on") {
    auto file = dir.write("dev.json",
                          "{\"data\": [\n{\"title\": \"A\",\n \"paragraphs\": [1 2]},\n"
                          "{\"title\": \"B\", \"paragraphs\": [{\"context\": \"c\", \"qas\": "
                          "[{\"id\": \"x\", \"question\": \"q\", \"answers\": []}]}]}\n]}");
    auto records = check_bad_record([&] { return t5::open_squad_reader(file); },
                                    file.string() + ":3", "invalid JSON");
    REQUIRE(records.size() == 1);
    CHECK(records[0].value["title"] == "B");
  }
  SECTION("a truncated file") {
    auto file = dir.write("dev.json", "{\"data\": [\n{\"title\": \"A\", \"paragraphs\": [");
    check_bad_record([&] { return t5::open_squad_reader(file); }, file.string() + ":2",
                     "does not end before the end of the file");
  }
  SECTION("a file that is not SQuAD at all fails whatever the policy") {
    auto file = dir.write("dev.json", "[1, 2, 3]");
    CHECK_THROWS_WITH(
        read_all(t5::open_squad_reader(file), OnBadRecord::kSkip),
        Catch::Contains(file.string() + ":1") && Catch::Contains("is this a SQuAD JSON file"));
  }
}

TEST_CASE("text source reads lines, paragraphs and WikiExtractor documents", "[tasks][sources]") {
  TempDir dir;
  auto file = dir.write("novel.txt",
                        "\xEF\xBB\xBFTitle\r\n\r\nFirst para,\r\nstill first.\r\n"
                        "\r\n\r\nSecond para.");
  SECTION("lines, blank ones skipped") {
    auto records = read_all(t5::open_text_reader(file, {}), OnBadRecord::kFail);
    REQUIRE(records.size() == 4);
    CHECK(records[0].value["text"] == "Title");
    CHECK(records[3].value["text"] == "Second para.");
    CHECK(records[3].where.line == 7);
  }
  SECTION("paragraphs") {
    auto options = t5::TextOptions::from_json({{"unit", "paragraph"}}, "test");
    auto records = read_all(t5::open_text_reader(file, options), OnBadRecord::kFail);
    REQUIRE(records.size() == 3);
    CHECK(records[1].value["text"] == "First para,\nstill first.");
    CHECK(records[1].where.line == 3);
  }
  SECTION("documents") {
    auto wiki = dir.write("wiki_00",
                          "<doc id=\"12\" url=\"http://x?curid=12\" title=\"A\">\nA\n\n"
                          "Body.\n</doc>\n<doc id=\"25\" title=\"B\">\nB\n</doc>\n");
    auto options = t5::TextOptions::from_json({{"unit", "doc"}}, "test");
    auto records = read_all(t5::open_text_reader(wiki, options), OnBadRecord::kFail);
    REQUIRE(records.size() == 2);
    CHECK(records[0].value["text"] == "A\n\nBody.");
    CHECK(records[0].value["title"] == "A");
    CHECK(records[1].value["id"] == "25");
  }
}

TEST_CASE("text source reports bad UTF-8 and unclosed documents", "[tasks][sources]") {
  TempDir dir;
  SECTION("a line that is not UTF-8") {
    auto file = dir.write("a.txt", "good\n\xc0\xaf overlong\nalso good\n");
    auto records = check_bad_record([&] { return t5::open_text_reader(file, {}); },
                                    file.string() + ":2", "invalid UTF-8 at byte 1 (0xc0)");
    CHECK(records.size() == 2);
  }
  SECTION("a document without </doc>") {
    auto file = dir.write("wiki_00", "<doc id=\"1\">\nfine\n</doc>\n<doc id=\"2\">\ncut");
    auto options = t5::TextOptions::from_json({{"unit", "doc"}}, "test");
    auto records = check_bad_record([&] { return t5::open_text_reader(file, options); },
                                    file.string() + ":4", "has no </doc>");
    CHECK(records.size() == 1);
  }
}

TEST_CASE("parallel source pairs aligned lines and refuses misaligned files", "[tasks][sources]") {
  TempDir dir;
  auto en = dir.write("newstest2014.en", "Gutach: Increased safety\nSecond\n");
  SECTION("pairs") {
    auto de = dir.write("newstest2014.de", "Gutach: Noch mehr Sicherheit\nZweite");
    auto records = read_all(t5::open_parallel_reader({{"en", en}, {"de", de}}), OnBadRecord::kFail);
    REQUIRE(records.size() == 2);
    CHECK(records[0].value["de"] == "Gutach: Noch mehr Sicherheit");
    CHECK(records[1].value["en"] == "Second");
  }
  SECTION("bad UTF-8 on one side") {
    auto de = dir.write("newstest2014.de", "Gutach\nZw\xe9ite\n");
    check_bad_record(
        [&] {
          return t5::open_parallel_reader({{"en", en}, {"de", de}});
        },
        de.string() + ":2", "invalid UTF-8 at byte 3 (0xe9)");
  }
  SECTION("different line counts fail under either policy") {
    auto de = dir.write("newstest2014.de", "Nur eine Zeile\n");
    for (auto policy : {OnBadRecord::kFail, OnBadRecord::kSkip}) {
      CHECK_THROWS_WITH(read_all(t5::open_parallel_reader({{"en", en}, {"de", de}}), policy),
                        Catch::Contains("end at different lines"));
    }
  }
}

TEST_CASE("split files resolve under the data root and name what is missing", "[tasks][sources]") {
  TempDir dir;
  dir.write("c4/c4-train.00001-of-01024.json.gz", "");
  dir.write("c4/c4-train.00000-of-01024.json.gz", "");
  dir.write("c4/notes.txt", "");
  SECTION("wildcards match in name order") {
    t5::SplitSpec split = t5::SplitSpec::from_json("c4/c4-train.*.json*", "test");
    auto files = t5::resolve_split_files(dir.path(), split, "c4 train");
    REQUIRE(files.size() == 2);
    CHECK(files[0].filename() == "c4-train.00000-of-01024.json.gz");
  }
  SECTION("a missing plain path names the path looked for") {
    t5::SplitSpec split = t5::SplitSpec::from_json("glue/RTE/test.tsv", "test");
    CHECK_THROWS_WITH(t5::resolve_split_files(dir.path(), split, "task 'glue_rte' split 'test'"),
                      Catch::Contains("task 'glue_rte' split 'test'") &&
                          Catch::Contains((dir.path() / "glue/RTE/test.tsv").string()));
  }
  SECTION("a pattern that matches nothing") {
    t5::SplitSpec split = t5::SplitSpec::from_json(t5::Json::array({"c4/*.jsonl"}), "test");
    CHECK_THROWS_WITH(t5::resolve_split_files(dir.path(), split, "c4"),
                      Catch::Contains("no file matches") && Catch::Contains("c4/*.jsonl"));
  }
}
