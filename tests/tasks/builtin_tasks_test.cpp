// Every built-in task formats real records of the public data sets
// ($T5_DATA_DIR, i.e. ../shared/datasets) as REFERENCE.md's table says. The
// expected strings were written from the first records of those files and
// the table's rules (keys alphabetical for GLUE, fixed orders where the
// table fixes them). Tests without real data skip with a warning; splits
// the shared folder lacks (AX, test files, WSC train) are written here in
// their release format.
#include <catch2/catch.hpp>

#include "tests/tasks/task_test_util.h"

using t5::Example;
using t5::testing::builtin_tasks;
using t5::testing::TempDir;

namespace {

std::vector<Example> first_examples(const std::string& task, const std::string& split,
                                    const std::filesystem::path& root, size_t n) {
  t5::DataOptions options;
  options.data_dir = root;
  auto examples = t5::testing::read_examples(builtin_tasks().get(task), split, options, n);
  REQUIRE(examples.size() == n);
  return examples;
}

}  // namespace

TEST_CASE("glue_cola formats real CoLA records with their acceptability", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_cola", "validation", root, 1);
  CHECK(dev[0].inputs == "cola sentence: The sailors rode the breeze clear of the rocks.");
  CHECK(dev[0].targets == "acceptable");
  auto train = first_examples("glue_cola", "train", root, 1);
  CHECK(train[0].inputs ==
        "cola sentence: Our friends won't buy this analysis, let alone the next one we propose.");
}

TEST_CASE("glue_sst2 formats real SST-2 records keeping their trailing space", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_sst2", "validation", root, 2);
  CHECK(dev[0].inputs == "sst2 sentence: it 's a charming and often affecting journey . ");
  CHECK(dev[0].targets == "positive");
  CHECK(dev[1].inputs == "sst2 sentence: unflinchingly bleak and desperate ");
  CHECK(dev[1].targets == "negative");
}

TEST_CASE("glue_mrpc formats real MRPC records with literal quotes", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_mrpc", "validation", root, 2);
  CHECK(dev[0].inputs ==
        "mrpc sentence1: He said the foodservice pie business doesn't fit the company's "
        "long-term growth strategy. sentence2: \"The foodservice pie business does not fit our "
        "long-term growth strategy.");
  CHECK(dev[0].targets == "equivalent");
  CHECK(dev[1].targets == "not_equivalent");
}

TEST_CASE("glue_qqp formats real QQP records", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_qqp", "validation", root, 1);
  CHECK(dev[0].inputs ==
        "qqp question1: Why are African-Americans so beautiful? question2: Why are hispanics so "
        "beautiful?");
  CHECK(dev[0].targets == "not_duplicate");
}

TEST_CASE("glue_stsb rounds real STS-B scores to 0.2 with halves to even", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_stsb", "validation", root, 61);
  CHECK(dev[0].inputs ==
        "stsb sentence1: A man with a hard hat is dancing. sentence2: A man wearing a hard hat is "
        "dancing.");
  CHECK(dev[0].targets == "5.0");  // 5.000
  CHECK(dev[1].targets == "4.8");  // 4.750 * 5 = 23.75 -> 24
  CHECK(dev[5].targets == "2.6");  // 2.615 * 5 = 13.075 -> 13
  // dev.tsv lines 51, 52 and 62 hold 4.500, 0.500 and 3.500: x * 5 ends in
  // .5, which goes to the even neighbour (22, 2, 18).
  CHECK_THAT(dev[49].id, Catch::EndsWith("dev.tsv:51"));
  CHECK(dev[49].targets == "4.4");
  CHECK(dev[50].targets == "0.4");
  CHECK(dev[60].targets == "3.6");
}

TEST_CASE("glue_mnli_matched formats real MNLI records hypothesis first", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_mnli_matched", "validation", root, 1);
  // The hypothesis ends with a space in the file.
  CHECK(dev[0].inputs ==
        "mnli hypothesis: Everyone really likes the newest benefits  premise: The new rights are "
        "nice enough");
  CHECK(dev[0].targets == "neutral");
}

TEST_CASE("glue_mnli_mismatched formats real MNLI records", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_mnli_mismatched", "validation", root, 1);
  CHECK(dev[0].inputs ==
        "mnli hypothesis: Your contributions were of no help with our students' education. "
        "premise: Your contribution helped make it possible for us to provide our students with a "
        "quality education.");
  CHECK(dev[0].targets == "contradiction");
}

TEST_CASE("glue_ax formats the diagnostic set as mnli with unknown labels", "[tasks][data]") {
  // The shared folder has no AX file; this is its release format (index,
  // sentence1, sentence2; no labels).
  TempDir root;
  root.write("glue/diagnostic/diagnostic.tsv",
             "index\tsentence1\tsentence2\n"
             "0\tThe cat sat on the mat.\tThe cat did not sit on the mat.\n");
  auto test = first_examples("glue_ax", "test", root.path(), 1);
  CHECK(test[0].inputs ==
        "mnli hypothesis: The cat did not sit on the mat. premise: The cat sat on the mat.");
  CHECK(test[0].targets == "<unk>");
}

TEST_CASE("glue_qnli formats real QNLI records", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_qnli", "validation", root, 1);
  CHECK(dev[0].inputs ==
        "qnli question: What came into force after the new constitution was herald? sentence: As "
        "of that day, the new constitution heralding the Second Republic came into force.");
  CHECK(dev[0].targets == "entailment");
}

TEST_CASE("glue_rte formats real RTE records", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_rte", "validation", root, 1);
  CHECK(dev[0].inputs ==
        "rte sentence1: Dana Reeve, the widow of the actor Christopher Reeve, has died of lung "
        "cancer at age 44, according to the Christopher Reeve Foundation. sentence2: Christopher "
        "Reeve had an accident.");
  CHECK(dev[0].targets == "not_entailment");
}

TEST_CASE("glue test splits without labels give <unk> targets", "[tasks][data]") {
  // GLUE's test files in their release format: RTE without the label
  // column, CoLA with a header where its train file has none.
  TempDir root;
  root.write("glue/RTE/test.tsv", "index\tsentence1\tsentence2\n0\tA man runs.\tA man moves.\n");
  root.write("glue/CoLA/test.tsv", "index\tsentence\n0\tBill whistled past the house.\n");
  auto rte = first_examples("glue_rte", "test", root.path(), 1);
  CHECK(rte[0].inputs == "rte sentence1: A man runs. sentence2: A man moves.");
  CHECK(rte[0].targets == "<unk>");
  auto cola = first_examples("glue_cola", "test", root.path(), 1);
  CHECK(cola[0].inputs == "cola sentence: Bill whistled past the house.");
  CHECK(cola[0].targets == "<unk>");
}

TEST_CASE("glue_wnli turns real WNLI records into wsc inputs with referents", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("glue_wnli", "validation", root, 2);
  CHECK(dev[0].inputs == "wsc: The drain is clogged with hair. *It* has to be cleaned.");
  CHECK(dev[0].targets == "The hair");
  CHECK(dev[1].inputs == "wsc: Jane knocked on Susan's door but *she* did not answer.");
  CHECK(dev[1].targets == "Susan");
  // Scored as WSC: the prediction names the referent (1), compared with the
  // label (0: "The hair has to be cleaned." does not follow).
  const t5::Task& task = builtin_tasks().get("glue_wnli");
  CHECK(task.postprocess("hair", dev[0], false).value == 1);
  CHECK(task.postprocess(dev[0].targets, dev[0], true).value == 0);
}

TEST_CASE("super_glue_boolq formats real BoolQ records passage first", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("super_glue_boolq", "validation", root, 1);
  CHECK_THAT(dev[0].inputs,
             Catch::StartsWith("boolq passage: Ethanol fuel -- All biomass goes through at least "
                               "some of these steps:") &&
                 Catch::EndsWith("uses much less petroleum than producing gasoline. question: "
                                 "does ethanol take more energy make that produces"));
  CHECK(dev[0].targets == "False");
}

TEST_CASE("super_glue_cb formats real CommitmentBank records", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("super_glue_cb", "validation", root, 2);
  CHECK(dev[0].inputs ==
        "cb hypothesis: Valence was helping premise: Valence the void-brain, Valence the virtuous "
        "valet. Why couldn't the figger choose his own portion of titanic anatomy to shaft? Did he "
        "think he was helping?");
  CHECK(dev[0].targets == "contradiction");
  CHECK(dev[1].targets == "neutral");
}

TEST_CASE("super_glue_copa formats real COPA records with choice labels", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("super_glue_copa", "validation", root, 1);
  CHECK(dev[0].inputs ==
        "copa choice1: The toilet filled with water. choice2: Water flowed from the spout. "
        "premise: The man turned on the faucet. question: effect");
  CHECK(dev[0].targets == "choice2");
}

TEST_CASE("super_glue_multirc expands real MultiRC passages into one example per answer",
          "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("super_glue_multirc", "validation", root, 5);
  CHECK_THAT(dev[0].inputs,
             Catch::StartsWith("multirc question: Would the mass of a baseball affect how much "
                               "force you have to use to pick it up? answer: No paragraph: What "
                               "causes a change in motion? The application of a force.") &&
                 Catch::EndsWith("You may pick up a baseball. This requires only a very small "
                                 "force. "));
  CHECK(dev[0].targets == "False");
  CHECK(dev[1].targets == "True");
  CHECK_THAT(dev[2].inputs, Catch::Contains("answer: Less the mass, less the force applied "
                                            "paragraph:"));
  // Four answers to the first question share its group; the fifth starts
  // the next question.
  CHECK(dev[0].group == "0-0");
  CHECK(dev[3].group == "0-0");
  CHECK(dev[4].group == "0-1");
  CHECK(dev[4].id == "0-1-4");
}

TEST_CASE("super_glue_record joins real ReCoRD highlights and lists entities", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto train = first_examples("super_glue_record", "train", root, 3);
  CHECK_THAT(train[0].inputs,
             Catch::StartsWith("record query: They will sew our lips, but we will chant, 'Long "
                               "live @placeholder.' entities: Asif Ali Zardari, Asif Zardari, "
                               "Benazir Bhutto, Bhutto, Bhutto-Zardari, Bilawal Bhutto-Zardari, "
                               "CNN, Islamabad, Pakistan, Pakistani, Sindh province passage: "
                               "Islamabad, Pakistan (CNN) -- The 24-year-old son") &&
                 Catch::EndsWith(
                     "no convictions for the crime. NEW: Kill a Bhutto and another will emerge, "
                     "the young Bhutto-Zardari said. NEW: Pakistani President Asif Zardari says "
                     "his son's training has begun. Benazir Bhutto was killed five years ago in a "
                     "gun-suicide bomb attack. Thousands gathered near the home to mark the fifth "
                     "anniversary of her death"));
  // One example per distinct answer; each carries all of them.
  CHECK(train[0].targets == "Benazir Bhutto");
  CHECK(train[1].targets == "Bhutto");
  CHECK(train[1].inputs == train[0].inputs);
  CHECK(train[0].answers == std::vector<std::string>{"Benazir Bhutto", "Bhutto"});
  CHECK(train[2].targets == "World Cup");
}

TEST_CASE("super_glue_rte formats real RTE records hypothesis first", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("super_glue_rte", "validation", root, 1);
  CHECK(dev[0].inputs ==
        "rte hypothesis: Christopher Reeve had an accident. premise: Dana Reeve, the widow of the "
        "actor Christopher Reeve, has died of lung cancer at age 44, according to the Christopher "
        "Reeve Foundation.");
  CHECK(dev[0].targets == "not_entailment");
}

TEST_CASE("super_glue_wic formats real WiC records with the word last", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("super_glue_wic", "validation", root, 1);
  CHECK(dev[0].inputs ==
        "wic sentence1: An emerging professional class. sentence2: Apologizing for losing your "
        "temper, even though you were badly provoked, showed real class. word: class");
  CHECK(dev[0].targets == "False");
}

TEST_CASE("super_glue_wsc marks the pronoun of real WSC records", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("super_glue_wsc", "validation", root, 43);
  CHECK(dev[0].inputs ==
        "wsc: Bernard , who had not told the government official that he was less than 21 when "
        "he filed for a homestead claim, did not consider that he had done anything dishonest. "
        "Still, anyone who knew that he was 19 years old could take his claim away from *him* .");
  CHECK(dev[0].targets == "anyone");
  // idx 42: span2_index points at "use"; the pronoun "it" follows it.
  CHECK(dev[42].inputs ==
        "wsc: When they had eventually calmed down a bit , and had gotten home, Mr. Farley put the "
        "magic pebble in an iron safe . Some day they might want to use *it* , but really for "
        "now, what more could they wish for?");
  CHECK(dev[42].targets == "safe");
}

TEST_CASE("super_glue_wsc trains on correct referents only", "[tasks][data]") {
  // The shared folder has no WSC train file; two records in its format.
  TempDir root;
  root.write("superglue/WSC/train.jsonl",
             R"({"text": "Tom told Ralph that he won.", "target": {"span1_text": "Ralph", )"
             R"("span1_index": 2, "span2_text": "he", "span2_index": 4}, "idx": 0, "label": false})"
             "\n"
             R"({"text": "Tom told Ralph that he won.", "target": {"span1_text": "Tom", )"
             R"("span1_index": 0, "span2_text": "he", "span2_index": 4}, "idx": 1, "label": true})"
             "\n");
  t5::DataOptions options;
  options.data_dir = root.path();
  t5::ExampleReader reader = builtin_tasks().get("super_glue_wsc").read("train", options);
  Example example;
  REQUIRE(reader.next(example));
  CHECK(example.inputs == "wsc: Tom told Ralph that *he* won.");
  CHECK(example.targets == "Tom");
  CHECK_FALSE(reader.next(example));
  CHECK(reader.stats().filtered == 1);
}

TEST_CASE("squad_v1 pads punctuation in real SQuAD questions, contexts and answers",
          "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto dev = first_examples("squad_v1", "validation", root, 3);
  CHECK_THAT(dev[0].inputs,
             Catch::StartsWith("question: Which NFL team represented the AFC at Super Bowl 50 ? "
                               "context: Super Bowl 50 was an American football game to "
                               "determine the champion of the National Football League ( NFL ) "
                               "for the 2015 season .") &&
                 Catch::Contains("at Levi ' s Stadium in the San Francisco Bay Area") &&
                 Catch::EndsWith("( under which the game would have been known as \" Super Bowl "
                                 "L \" ) , so that the logo could prominently feature the Arabic "
                                 "numerals 50 . "));
  CHECK(dev[0].targets == "Denver Broncos");
  CHECK(dev[0].answers.size() == 3);
  CHECK(dev[2].targets == "Santa Clara , California");
  CHECK(dev[2].answers == std::vector<std::string>{"Santa Clara , California", "Levi ' s Stadium",
                                                   "Levi ' s Stadium in the San Francisco Bay "
                                                   "Area at Santa Clara , California . "});
}

TEST_CASE("cnn_dailymail formats real CNN/DailyMail rows as summarize inputs", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto train = first_examples("cnn_dailymail", "train", root, 1);
  CHECK_THAT(train[0].inputs,
             Catch::StartsWith("summarize: By . Associated Press . PUBLISHED: . 14:11 EST, 25 "
                               "October 2013 . | . UPDATED:") &&
                 Catch::EndsWith("Fargo Catholic Diocese in North Dakota (pictured) is where the "
                                 "bishop is located ."));
  CHECK(train[0].targets ==
        "Bishop John Folda, of North Dakota, is taking time off after being diagnosed .\nHe "
        "contracted the infection through contaminated food in Italy .\nChurch members in Fargo, "
        "Grand Forks and Jamestown could have been exposed .");
}

TEST_CASE("wmt14_ende formats real newstest2014 pairs", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto test = first_examples("wmt14_ende", "test", root, 1);
  CHECK(test[0].inputs == "translate English to German: Gutach: Increased safety for pedestrians");
  CHECK(test[0].targets == "Gutach: Noch mehr Sicherheit für Fußgänger");
  auto dev = first_examples("wmt14_ende", "validation", root, 1);
  CHECK(dev[0].targets ==
        "Eine republikanische Strategie, um der Wiederwahl von Obama "
        "entgegenzutreten");
}

TEST_CASE("wmt14_enfr formats real newstest2014 pairs", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto test = first_examples("wmt14_enfr", "test", root, 1);
  CHECK(test[0].inputs == "translate English to French: Spectacular Wingsuit Jump Over Bogota");
  CHECK(test[0].targets == "Spectaculaire saut en \"wingsuit\" au-dessus de Bogota");
}

TEST_CASE("wmt16_enro formats real newstest2016 pairs", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto test = first_examples("wmt16_enro", "test", root, 1);
  CHECK(test[0].inputs ==
        "translate English to Romanian: UN Chief Says There Is No Military Solution in Syria");
  CHECK(test[0].targets == "Șeful ONU declară că nu există soluții militare în Siria");
}

TEST_CASE("pretraining corpora give their text as targets", "[tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  auto c4 = first_examples("c4", "train", root, 1);
  CHECK(c4[0].inputs.empty());
  CHECK_THAT(c4[0].targets, Catch::StartsWith("Beginners BBQ Class Taking Place in Missoula!\nDo "
                                              "you want to get better at making delicious BBQ?"));
  auto raw = first_examples("wikitext2_raw", "test", root, 1);
  CHECK(raw[0].targets == " = Robert Boulter = ");
  auto tokenized = first_examples("wikitext2", "validation", root, 1);
  CHECK(tokenized[0].targets == " = Homarus gammarus = ");
  auto novels = first_examples("english_novels", "train", root, 1);
  CHECK(novels[0].targets == "CLARA VAUGHAN");
  auto wikipedia = first_examples("wikipedia_en_2015", "train", root, 1);
  CHECK_THAT(wikipedia[0].targets, Catch::StartsWith("Anarchism\n\nAnarchism is a political "
                                                     "philosophy"));
  // Wikinews lines with empty text are dropped and counted.
  t5::DataOptions options;
  options.data_dir = root;
  t5::ExampleReader reader = builtin_tasks().get("wikinews_en").read("train", options);
  Example example;
  REQUIRE(reader.next(example));
  REQUIRE(reader.next(example));
  CHECK_THAT(example.targets, Catch::StartsWith(", the of the People's Republic of China had "
                                                "lunch today"));
  CHECK(reader.stats().filtered == 1);
}
