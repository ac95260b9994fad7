#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>

#include <stdlib.h>
#include <torch/torch.h>
#include <catch2/catch.hpp>

#include "t5/model/safetensors.h"
#include "t5/util/error.h"
#include "t5/util/files.h"

namespace fs = std::filesystem;

namespace {

// A folder of the test's own under the system temporary folder, removed at
// the end of the test.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern = (fs::temp_directory_path() / "t5_safetensors_XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

std::string little_endian(uint64_t value) {
  std::string bytes(8, '\0');
  for (size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return bytes;
}

// The header length a file's first 8 bytes state.
uint64_t header_length_of(const std::string& bytes) {
  uint64_t length = 0;
  for (size_t i = 8; i > 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[i - 1]);
  return length;
}

// A hand-made file: the 8-byte little-endian header length, header, data.
std::string file_bytes(const std::string& header, const std::string& data = "") {
  return little_endian(header.size()) + header + data;
}

fs::path write_bytes(const fs::path& path, const std::string& bytes) {
  t5::write_text_atomically(path, bytes);
  return path;
}

std::string read_bytes(const fs::path& path) { return t5::read_text_file(path); }

bool same_bytes(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.scalar_type() != b.scalar_type() || !a.sizes().equals(b.sizes())) return false;
  size_t bytes = a.numel() * a.element_size();
  return bytes == 0 || std::memcmp(a.data_ptr(), b.data_ptr(), bytes) == 0;
}

// Tensors of `dtype`: a matrix of random bit patterns (for floating types
// with NaN payloads, subnormals, -0 and infinities, which only a bitwise copy
// keeps), a 0-dim tensor and two empty ones.
std::vector<std::pair<std::string, torch::Tensor>> samples_of(torch::ScalarType dtype) {
  torch::Tensor matrix;
  if (dtype == torch::kBool) {
    matrix = torch::randint(0, 2, {3, 5}).to(dtype);
  } else {
    int64_t row_bytes = 5 * static_cast<int64_t>(c10::elementSize(dtype));
    matrix = torch::randint(0, 256, {3, row_bytes}, torch::kUInt8).view(dtype);
  }
  if (torch::isFloatingType(dtype)) {
    matrix[0][0] = std::numeric_limits<double>::quiet_NaN();
    matrix[0][1] = -0.0;
    matrix[0][2] = -std::numeric_limits<double>::infinity();
  }
  std::string prefix = c10::toString(dtype);
  return {{prefix + ".matrix", matrix},
          {prefix + ".scalar", torch::full({}, 1, torch::TensorOptions().dtype(dtype))},
          {prefix + ".empty", torch::empty({0}, torch::TensorOptions().dtype(dtype))},
          {prefix + ".empty_middle", torch::empty({2, 0, 3}, torch::TensorOptions().dtype(dtype))}};
}

// The fixture root: $T5_PARITY_FIXTURES, else the shared folder beside the
// source tree.
fs::path fixture_root() {
  const char* root = std::getenv("T5_PARITY_FIXTURES");
  if (root != nullptr && *root != '\0') return root;
  return fs::path(T5_SOURCE_DIR) / ".." / "shared" / "fixtures" / "hf_t5";
}

// A valid one-tensor header: "a" is F32 [2], 8 bytes from 0.
const std::string kGoodEntry = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
const std::string kEightBytes(8, '\0');

}  // namespace

// Reading `path` must throw t5::Error whose message names the file and `fault`.
#define CHECK_READ_FAILS(path, fault)                                              \
  do {                                                                             \
    CHECK_THROWS_AS(t5::read_safetensors(path), t5::Error);                        \
    CHECK_THROWS_WITH(t5::read_safetensors(path),                                  \
                      Catch::Contains((path).string()) && Catch::Contains(fault)); \
  } while (false)

TEST_CASE("safetensors round trip is bitwise for every dtype", "[model][safetensors]") {
  torch::manual_seed(0);
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (torch::ScalarType dtype :
       {torch::kFloat64, torch::kFloat32, torch::kFloat16, torch::kBFloat16, torch::kInt64,
        torch::kInt32, torch::kInt16, torch::kInt8, torch::kUInt8, torch::kBool}) {
    for (auto& named : samples_of(dtype)) tensors.push_back(named);
  }
  TemporaryFolder folder;
  t5::write_safetensors(folder / "all.safetensors", tensors);

  t5::SafetensorsContents read = t5::read_safetensors(folder / "all.safetensors");
  REQUIRE(read.tensors.size() == tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    INFO("tensor " << tensors[i].first);
    CHECK(read.tensors[i].first == tensors[i].first);
    CHECK(same_bytes(read.tensors[i].second, tensors[i].second));
  }
}

TEST_CASE("safetensors round trip keeps the metadata", "[model][safetensors]") {
  TemporaryFolder folder;
  std::vector<std::pair<std::string, torch::Tensor>> tensors = {{"x", torch::ones({2})}};

  SECTION("given metadata, including empty and non-ASCII strings") {
    std::map<std::string, std::string> metadata = {
        {"format", "pt"}, {"note", "d\xc3\xa9j\xc3\xa0 vu"}, {"empty", ""}};
    t5::write_safetensors(folder / "m.safetensors", tensors, metadata);
    CHECK(t5::read_safetensors(folder / "m.safetensors").metadata == metadata);
  }
  SECTION("the default metadata is format=pt, as Hugging Face writes") {
    t5::write_safetensors(folder / "m.safetensors", tensors);
    auto metadata = t5::read_safetensors(folder / "m.safetensors").metadata;
    CHECK(metadata == std::map<std::string, std::string>{{"format", "pt"}});
  }
  SECTION("no metadata reads back as an empty map") {
    t5::write_safetensors(folder / "m.safetensors", tensors, {});
    CHECK(t5::read_safetensors(folder / "m.safetensors").metadata.empty());
  }
}

TEST_CASE("safetensors reading keeps the order the tensors were written in",
          "[model][safetensors]") {
  std::vector<std::string> names = {"zeta", "alpha", "mu", "encoder.block.10.x",
                                    "encoder.block.2.x"};
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (size_t i = 0; i < names.size(); ++i) {
    tensors.emplace_back(names[i], torch::full({static_cast<int64_t>(i) + 1}, 1.0));
  }
  TemporaryFolder folder;
  t5::write_safetensors(folder / "o.safetensors", tensors);

  t5::SafetensorsContents read = t5::read_safetensors(folder / "o.safetensors");
  REQUIRE(read.tensors.size() == names.size());
  for (size_t i = 0; i < names.size(); ++i) CHECK(read.tensors[i].first == names[i]);
  CHECK(read.find("mu").sizes() == torch::IntArrayRef({3}));
  CHECK_FALSE(read.find("absent").defined());
}

TEST_CASE("safetensors writer stores non-contiguous tensors in row-major order",
          "[model][safetensors]") {
  torch::Tensor matrix = torch::arange(6, torch::kFloat32).reshape({2, 3});
  TemporaryFolder folder;
  t5::write_safetensors(folder / "t.safetensors", {{"t", matrix.t()}});

  torch::Tensor read = t5::read_safetensors(folder / "t.safetensors").find("t");
  CHECK(read.is_contiguous());
  CHECK(torch::equal(read, matrix.t()));
}

TEST_CASE("safetensors writer pads the header with spaces to a multiple of 8 bytes",
          "[model][safetensors]") {
  TemporaryFolder folder;
  // Names of 1 to 7 characters give the unpadded header seven different
  // lengths modulo 8; every one must come out padded to a multiple of 8.
  for (const std::string& name : {"a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg"}) {
    t5::write_safetensors(folder / "p.safetensors", {{name, torch::zeros({1})}});
    std::string bytes = read_bytes(folder / "p.safetensors");
    REQUIRE(bytes.size() >= 8);
    uint64_t length = header_length_of(bytes);
    INFO("name " << name << ", header " << bytes.substr(8, length));
    CHECK(length % 8 == 0);
    CHECK(bytes.size() == 8 + length + 4);
    std::string header = bytes.substr(8, length);
    size_t last = header.find_last_not_of(' ');
    CHECK(header[last] == '}');
    CHECK(length - (last + 1) < 8);
  }
}

TEST_CASE("safetensors writer refuses bad names and unsupported dtypes without writing a file",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "w.safetensors";
  SECTION("a name given twice") {
    CHECK_THROWS_WITH(
        t5::write_safetensors(path, {{"a", torch::ones({1})}, {"a", torch::ones({1})}}),
        Catch::Contains(path.string()) && Catch::Contains("'a' is given twice"));
  }
  SECTION("the metadata key as a tensor name") {
    CHECK_THROWS_WITH(t5::write_safetensors(path, {{"__metadata__", torch::ones({1})}}),
                      Catch::Contains(path.string()) && Catch::Contains("reserved for metadata"));
  }
  SECTION("a name that is not valid UTF-8") {
    CHECK_THROWS_WITH(t5::write_safetensors(path, {{"bad\xff", torch::ones({1})}}),
                      Catch::Contains(path.string()) && Catch::Contains("not valid UTF-8"));
  }
  SECTION("a complex tensor") {
    CHECK_THROWS_WITH(
        t5::write_safetensors(path, {{"c", torch::ones({1}, torch::kComplexFloat)}}),
        Catch::Contains(path.string()) && Catch::Contains("tensor 'c' has dtype ComplexFloat"));
  }
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("safetensors reader names the path of a missing file or a folder",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path missing = folder / "missing.safetensors";
  CHECK_READ_FAILS(missing, "no such file");
  fs::create_directory(folder / "dir.safetensors");
  CHECK_READ_FAILS(folder / "dir.safetensors", "it is a folder");
}

TEST_CASE("safetensors reader rejects a file shorter than 8 bytes", "[model][safetensors]") {
  TemporaryFolder folder;
  SECTION("empty") {
    fs::path path = write_bytes(folder / "s.safetensors", "");
    CHECK_READ_FAILS(path, "file is 0 bytes, shorter than the 8-byte header length");
  }
  SECTION("three bytes") {
    fs::path path = write_bytes(folder / "s.safetensors", "abc");
    CHECK_READ_FAILS(path, "file is 3 bytes, shorter than the 8-byte header length");
  }
}

TEST_CASE(
    "safetensors reader rejects a header length past the end of the file or above the "
    "limit",
    "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "h.safetensors";
  SECTION("a few bytes too long") {
    write_bytes(path, little_endian(100) + "{}");
    CHECK_READ_FAILS(path,
                     "header length 100 runs past the end of the file (10 bytes, so at "
                     "most 2 bytes of header)");
  }
  SECTION("2^63, which must not be allocated") {
    write_bytes(path, little_endian(uint64_t{1} << 63) + "{}");
    CHECK_READ_FAILS(path, "header length 9223372036854775808 runs past the end of the file");
  }
  SECTION("inside the file but above the format's 100 MB limit") {
    // A sparse file: the size is there, the disk blocks are not.
    write_bytes(path, little_endian(100'000'001));
    fs::resize_file(path, 8 + 100'000'001);
    CHECK_READ_FAILS(path, "header length 100000001 is above the format's limit");
  }
}

TEST_CASE("safetensors reader rejects a header that is not valid JSON", "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "j.safetensors";
  SECTION("cut short") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":)"));
    CHECK_READ_FAILS(path, "header is not valid JSON");
  }
  SECTION("binary garbage") {
    write_bytes(path, file_bytes("\xff\xfe garbage"));
    CHECK_READ_FAILS(path, "header is not valid JSON");
  }
  SECTION("a number too large for a double") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[1e999],"data_offsets":[0,8]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "header is not valid JSON");
  }
  SECTION("nested far deeper than any header") {
    write_bytes(path, file_bytes(std::string(1000, '[') + std::string(1000, ']')));
    CHECK_READ_FAILS(path, "header nests arrays or objects more than 4 levels deep");
  }
}

TEST_CASE("safetensors reader rejects a header that is not a JSON object", "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "o.safetensors";
  SECTION("an array") {
    write_bytes(path, file_bytes("[1, 2]"));
    CHECK_READ_FAILS(path, "header is a JSON array, expected an object");
  }
  SECTION("a string") {
    write_bytes(path, file_bytes(R"("model")"));
    CHECK_READ_FAILS(path, "header is a JSON string, expected an object");
  }
}

TEST_CASE("safetensors reader rejects an entry missing dtype, shape or data_offsets",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "e.safetensors";
  SECTION("dtype") {
    write_bytes(path, file_bytes(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': entry has no 'dtype'");
  }
  SECTION("shape") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","data_offsets":[0,8]}})", kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': entry has no 'shape'");
  }
  SECTION("data_offsets") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[2]}})", kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': entry has no 'data_offsets'");
  }
}

TEST_CASE("safetensors reader rejects header fields of the wrong type", "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "t.safetensors";
  SECTION("an entry that is not an object") {
    write_bytes(path, file_bytes(R"({"a":5})"));
    CHECK_READ_FAILS(path, "tensor 'a': entry is 5, expected an object");
  }
  SECTION("a dtype that is not a string") {
    write_bytes(path,
                file_bytes(R"({"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}})", kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': dtype is 32, expected a string");
  }
  SECTION("a long wrong value, which the message shortens") {
    std::string long_shape = "\"" + std::string(10'000, 'x') + "\"";
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":)" + long_shape +
                                     R"(,"data_offsets":[0,8]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "shape is \"xxxx");
    try {
      t5::read_safetensors(path);
    } catch (const t5::Error& e) {
      CHECK(std::string(e.what()).size() < 400);
    }
  }
  SECTION("a shape that is not an array") {
    write_bytes(
        path, file_bytes(R"({"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}})", kEightBytes));
    CHECK_READ_FAILS(path, R"(tensor 'a': shape is "2", expected an array)");
  }
  SECTION("data_offsets that are not two integers") {
    write_bytes(path,
                file_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8]}})", kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': data_offsets is [8], expected [begin, end]");
  }
  SECTION("metadata that is not an object") {
    write_bytes(path, file_bytes(R"({"__metadata__":"pt",)" + kGoodEntry + "}", kEightBytes));
    CHECK_READ_FAILS(path, R"(__metadata__ is "pt", expected an object of string values)");
  }
  SECTION("a metadata value that is not a string") {
    write_bytes(path,
                file_bytes(R"({"__metadata__":{"format":1},)" + kGoodEntry + "}", kEightBytes));
    CHECK_READ_FAILS(path, "__metadata__ key 'format' is 1, expected a string");
  }
}

TEST_CASE("safetensors reader rejects an unknown dtype", "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "d.safetensors";
  SECTION("a dtype this toolkit does not hold") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': unknown dtype 'F8_E4M3'");
    CHECK_READ_FAILS(path, "expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
  }
  SECTION("a misspelt dtype gets a suggestion") {
    write_bytes(
        path, file_bytes(R"({"a":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}})", kEightBytes));
    CHECK_READ_FAILS(path, "unknown dtype 'f32' (did you mean 'F32'");
  }
}

TEST_CASE("safetensors reader rejects negative, fractional and oversized shape dimensions",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "s.safetensors";
  SECTION("negative") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': shape [-2] has dimension -2, expected a non-negative");
  }
  SECTION("fractional") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "tensor 'a': shape [2.5] has dimension 2.5, expected a non-negative");
  }
  SECTION("above the largest torch dimension") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"U8","shape":[18446744073709551615],)"
                                 R"("data_offsets":[0,8]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "has dimension 18446744073709551615, expected a non-negative");
  }
}

TEST_CASE("safetensors reader rejects a shape whose size overflows 64 bits",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "v.safetensors";
  // 2^32 * 2^32 elements is 2^64, one past the largest 64-bit count.
  write_bytes(path, file_bytes(R"({"a":{"dtype":"U8","shape":[4294967296,4294967296],)"
                               R"("data_offsets":[0,8]}})",
                               kEightBytes));
  CHECK_READ_FAILS(path,
                   "tensor 'a': shape [4294967296, 4294967296] holds more bytes than 64 bits");
}

TEST_CASE("safetensors reader rejects data offsets past the end of the data",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "r.safetensors";
  SECTION("a little past") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path,
                     "tensor 'a': data_offsets [0, 16] reach past the end of the data (8 "
                     "bytes after the header)");
  }
  SECTION("near 2^64, where begin + size would wrap around") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[2],)"
                                 R"("data_offsets":[18446744073709551608,18446744073709551615]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "reach past the end of the data");
  }
}

TEST_CASE("safetensors reader rejects data offsets that begin after they end",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "b.safetensors";
  write_bytes(path,
              file_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", kEightBytes));
  CHECK_READ_FAILS(path, "tensor 'a': data_offsets [8, 0] begin after they end");
}

TEST_CASE("safetensors reader rejects data offsets that do not match shape and dtype",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "m.safetensors";
  SECTION("too few bytes for the shape") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                                 std::string(12, '\0')));
    CHECK_READ_FAILS(path,
                     "tensor 'a': data_offsets [0, 8] span 8 bytes, but shape [3] of F32 "
                     "needs 12 bytes");
  }
  SECTION("too many bytes for a 0-dim tensor") {
    write_bytes(
        path, file_bytes(R"({"a":{"dtype":"I16","shape":[],"data_offsets":[0,8]}})", kEightBytes));
    CHECK_READ_FAILS(path, "span 8 bytes, but shape [] of I16 needs 2 bytes");
  }
}

TEST_CASE("safetensors reader rejects two tensors that overlap", "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "x.safetensors";
  SECTION("partly") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                 R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                 std::string(12, '\0')));
    CHECK_READ_FAILS(path, "tensors 'a' [0, 8] and 'b' [4, 12] overlap");
  }
  SECTION("one inside another, listed first") {
    write_bytes(path, file_bytes(R"({"inner":{"dtype":"U8","shape":[2],"data_offsets":[4,6]},)"
                                 R"("outer":{"dtype":"U8","shape":[8],"data_offsets":[2,10]}})",
                                 std::string(12, '\0')));
    CHECK_READ_FAILS(path, "tensors 'outer' [2, 10] and 'inner' [4, 6] overlap");
  }
}

TEST_CASE("safetensors reader rejects duplicate names", "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "n.safetensors";
  SECTION("two tensors of one name") {
    write_bytes(path, file_bytes("{" + kGoodEntry + "," +
                                     R"("a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                                 std::string(16, '\0')));
    CHECK_READ_FAILS(path, "tensor name 'a' appears twice in the header");
  }
  SECTION("one field twice in an entry") {
    write_bytes(path, file_bytes(R"({"a":{"dtype":"F32","dtype":"I32",)"
                                 R"("shape":[2],"data_offsets":[0,8]}})",
                                 kEightBytes));
    CHECK_READ_FAILS(path, "key 'dtype' appears twice in header entry 'a'");
  }
}

// "ok", or the t5::Error message; any other exception propagates.
std::string read_outcome(const fs::path& path) {
  try {
    t5::read_safetensors(path);
    return "ok";
  } catch (const t5::Error& e) {
    return e.what();
  }
}

TEST_CASE("safetensors reader answers every truncation and header byte change with t5::Error",
          "[model][safetensors]") {
  TemporaryFolder folder;
  t5::write_safetensors(folder / "good.safetensors",
                        {{"a", torch::arange(6, torch::kFloat32).reshape({2, 3})},
                         {"b", torch::arange(4, torch::kInt16)}});
  const std::string good = read_bytes(folder / "good.safetensors");
  uint64_t header_end = 8 + header_length_of(good);
  fs::path path = folder / "bad.safetensors";

  SECTION("every proper prefix of the file is refused") {
    for (size_t size = 0; size < good.size(); ++size) {
      INFO("first " << size << " bytes");
      write_bytes(path, good.substr(0, size));
      CHECK(read_outcome(path) != "ok");
    }
  }
  SECTION("every header byte, replaced by a JSON-significant byte, loads or is refused") {
    for (size_t at = 8; at < header_end; ++at) {
      for (char replacement : std::string("09-.e\"{}[]:, \xff") + '\0') {
        std::string bytes = good;
        bytes[at] = replacement;
        write_bytes(path, bytes);
        INFO("byte " << at << " set to " << static_cast<int>(replacement));
        CHECK_NOTHROW(read_outcome(path));
      }
    }
  }
}

TEST_CASE("safetensors reader accepts trailing bytes and empty tensors anywhere",
          "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "ok.safetensors";
  // "e" is empty and lies inside "a"'s bytes, which takes none of them.
  write_bytes(path, file_bytes(R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},)"
                               R"("e":{"dtype":"F32","shape":[0,4],"data_offsets":[4,4]}})",
                               "01234567trailing"));
  t5::SafetensorsContents read = t5::read_safetensors(path);
  REQUIRE(read.tensors.size() == 2);
  CHECK(read.tensors[0].first == "a");
  CHECK(read.tensors[1].first == "e");
  CHECK(read.find("a")[7].item<uint8_t>() == '7');
  CHECK(read.find("e").sizes() == torch::IntArrayRef({0, 4}));
}

TEST_CASE("safetensors reader orders tensors by their data offsets", "[model][safetensors]") {
  TemporaryFolder folder;
  fs::path path = folder / "f.safetensors";
  write_bytes(path, file_bytes(R"({"late":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},)"
                               R"("early":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})",
                               "abcd"));
  t5::SafetensorsContents read = t5::read_safetensors(path);
  REQUIRE(read.tensors.size() == 2);
  CHECK(read.tensors[0].first == "early");
  CHECK(read.tensors[1].first == "late");
}

TEST_CASE("safetensors reader loads the Hugging Face reference checkpoints",
          "[model][safetensors]") {
  fs::path v10 = fixture_root() / "v10";
  if (!fs::exists(v10 / "model.safetensors")) {
    WARN("skipped: no reference checkpoints at " << v10.string()
                                                 << "; set T5_PARITY_FIXTURES to their folder");
    return;
  }
  // Counts from the fixture's expected.json ("safetensors_verification"):
  // the dedup file leaves out the three aliases of shared.weight.
  for (const auto& [file, count] : std::vector<std::pair<std::string, size_t>>{
           {"model.safetensors", 50}, {"model_dedup.safetensors", 47}}) {
    INFO("file " << file);
    t5::SafetensorsContents read = t5::read_safetensors(v10 / file);
    CHECK(read.tensors.size() == count);
    CHECK(read.metadata.at("format") == "pt");
    torch::Tensor shared = read.find("shared.weight");
    REQUIRE(shared.defined());
    CHECK(shared.sizes() == torch::IntArrayRef({128, 32}));
    CHECK(shared.scalar_type() == torch::kFloat32);
  }
}

TEST_CASE("safetensors writer reproduces a Hugging Face file byte for byte",
          "[model][safetensors]") {
  fs::path v10 = fixture_root() / "v10";
  if (!fs::exists(v10 / "model.safetensors")) {
    WARN("skipped: no reference checkpoints at " << v10.string()
                                                 << "; set T5_PARITY_FIXTURES to their folder");
    return;
  }
  TemporaryFolder folder;
  for (const std::string& file : {"model.safetensors", "model_dedup.safetensors"}) {
    INFO("file " << file);
    t5::SafetensorsContents read = t5::read_safetensors(v10 / file);
    t5::write_safetensors(folder / file, read.tensors, read.metadata);
    CHECK(read_bytes(folder / file) == read_bytes(v10 / file));
  }
}
