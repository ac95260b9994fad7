#include "t5/model/safetensors.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <set>
#include <system_error>

#include <nlohmann/json.hpp>

#include "t5/util/error.h"
#include "t5/util/files.h"
#include "t5/util/names.h"

// Tensor bytes are copied verbatim between memory and the little-endian file.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors I/O copies raw bytes and needs a little-endian host");

namespace t5 {

torch::Tensor SafetensorsContents::find(const std::string& name) const {
  for (const auto& [key, tensor] : tensors) {
    if (key == name) return tensor;
  }
  return {};
}

namespace {

namespace fs = std::filesystem;
using OrderedJson = nlohmann::ordered_json;

constexpr uint64_t kLengthBytes = 8;
// The reference implementation refuses headers above 100 MB; so does this
// one, so that a corrupt length never makes it parse a giant header.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
// A header nests three levels (top object > tensor entry > shape array); one
// more lets a misplaced container reach the type checks, which explain it.
constexpr int kMaxNesting = 4;
constexpr const char* kMetadataKey = "__metadata__";

struct Dtype {
  const char* name;
  torch::ScalarType type;
};

constexpr Dtype kDtypes[] = {{"F64", torch::kFloat64}, {"F32", torch::kFloat32},
                             {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16},
                             {"I64", torch::kInt64},   {"I32", torch::kInt32},
                             {"I16", torch::kInt16},   {"I8", torch::kInt8},
                             {"U8", torch::kUInt8},    {"BOOL", torch::kBool}};

// The format's name for `type`, or nullptr when the format has none.
const char* format_name(torch::ScalarType type) {
  for (const Dtype& dtype : kDtypes) {
    if (type == dtype.type) return dtype.name;
  }
  return nullptr;
}

std::vector<std::string> dtype_names() {
  std::vector<std::string> names;
  for (const Dtype& dtype : kDtypes) names.emplace_back(dtype.name);
  return names;
}

// One tensor's header entry, checked against the file.
struct Entry {
  std::string name;
  torch::ScalarType dtype = torch::kFloat32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

template <typename... Args>
[[noreturn]] void fail_in(const fs::path& path, fmt::format_string<Args...> format,
                          Args&&... args) {
  fail("{}: {}", path.string(), fmt::format(format, std::forward<Args>(args)...));
}

std::string shape_text(const std::vector<int64_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

uint64_t file_size_of(const fs::path& path) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  T5_CHECK(status.type() != fs::file_type::not_found,
           "cannot read {}: no such file; check the path", path.string());
  T5_CHECK(!ec, "cannot read {}: {}", path.string(), ec.message());
  T5_CHECK(!fs::is_directory(status),
           "cannot read {}: it is a folder, expected a .safetensors file", path.string());
  uint64_t size = fs::file_size(path, ec);
  T5_CHECK(!ec, "cannot read {}: {}", path.string(), ec.message());
  return size;
}

// Reads exactly `size` bytes at `offset` into `out`; the caller has checked
// that they lie inside the file, so a short read means it shrank meanwhile.
void read_exactly(std::ifstream& in, const fs::path& path, uint64_t offset, char* out,
                  uint64_t size) {
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(out, static_cast<std::streamsize>(size));
  if (!in || static_cast<uint64_t>(in.gcount()) != size) {
    fail_in(path, "could not read {} bytes at byte {}; was the file changed while being read?",
            size, offset);
  }
}

uint64_t read_header_length(std::ifstream& in, const fs::path& path, uint64_t file_bytes) {
  if (file_bytes < kLengthBytes) {
    fail_in(path,
            "file is {} bytes, shorter than the 8-byte header length that starts every "
            "safetensors file; is it a truncated download or not a safetensors file?",
            file_bytes);
  }
  unsigned char bytes[kLengthBytes];
  read_exactly(in, path, 0, reinterpret_cast<char*>(bytes), kLengthBytes);
  uint64_t length = 0;
  for (size_t i = kLengthBytes; i > 0; --i) length = (length << 8) | bytes[i - 1];
  if (length > file_bytes - kLengthBytes) {
    fail_in(path,
            "header length {} runs past the end of the file ({} bytes, so at most {} bytes of "
            "header); the file is truncated or not a safetensors file",
            length, file_bytes, file_bytes - kLengthBytes);
  }
  if (length > kMaxHeaderBytes) {
    fail_in(path, "header length {} is above the format's limit of {} bytes; the file is corrupt",
            length, kMaxHeaderBytes);
  }
  return length;
}

// Watches the header as it is parsed: refuses repeated keys (nlohmann would
// keep the last one silently) and nesting deeper than any header has (which
// would only cost memory).
class HeaderWatch {
 public:
  explicit HeaderWatch(const fs::path& path) : path_(path), keys_at_depth_(kMaxNesting + 1) {}

  bool operator()(int depth, OrderedJson::parse_event_t event, OrderedJson& value) {
    using Event = OrderedJson::parse_event_t;
    if (event == Event::object_start || event == Event::array_start) {
      if (depth + 1 > kMaxNesting) {
        fail_in(path_,
                "header nests arrays or objects more than {} levels deep, which no "
                "safetensors header does; the file is corrupt",
                kMaxNesting);
      }
      if (event == Event::object_start) keys_at_depth_[depth + 1].clear();
    } else if (event == Event::key) {
      check_key(depth, value.get_ref<const std::string&>());
    }
    return true;
  }

 private:
  void check_key(int depth, const std::string& key) {
    if (!keys_at_depth_[depth].insert(key).second) {
      if (depth == 1) {
        fail_in(path_,
                "tensor name '{}' appears twice in the header; names must be unique, so "
                "rewrite the file with distinct names",
                key);
      }
      fail_in(path_, "key '{}' appears twice in header entry '{}'; keep one", key, entry_);
    }
    if (depth == 1) entry_ = key;
  }

  const fs::path& path_;
  std::vector<std::set<std::string>> keys_at_depth_;
  // The top-level key being parsed, to say where a repeated key is.
  std::string entry_;
};

OrderedJson parse_header(const std::string& text, const fs::path& path) {
  OrderedJson header;
  try {
    header = OrderedJson::parse(text, HeaderWatch(path));
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for numbers such as 1e999. The message
    // starts with nlohmann's "[json.exception.parse_error.101] " tag.
    std::string reason = e.what();
    size_t tag_end = reason.find("] ");
    if (tag_end != std::string::npos) reason.erase(0, tag_end + 2);
    fail_in(path, "header is not valid JSON ({}); the file is corrupt or not a safetensors file",
            reason);
  }
  if (!header.is_object()) {
    fail_in(path, "header is a JSON {}, expected an object mapping tensor names to entries",
            header.type_name());
  }
  return header;
}

// A header value for a message, cut short so a corrupt header cannot make the
// message huge.
std::string excerpt(const OrderedJson& value) {
  constexpr size_t kMaxChars = 80;
  std::string text = value.dump();
  if (text.size() <= kMaxChars) return text;
  // Cut at the start of a UTF-8 character, never inside one.
  size_t cut = kMaxChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

torch::ScalarType parse_dtype(const OrderedJson& value, const std::string& name,
                              const fs::path& path) {
  if (!value.is_string()) {
    fail_in(path, "tensor '{}': dtype is {}, expected a string such as \"F32\"", name,
            excerpt(value));
  }
  const std::string& text = value.get_ref<const std::string&>();
  for (const Dtype& dtype : kDtypes) {
    if (text == dtype.name) return dtype.type;
  }
  fail_in(path, "tensor '{}': unknown dtype '{}'{}; expected one of {}", name, text,
          did_you_mean(text, dtype_names()), fmt::join(dtype_names(), ", "));
}

std::vector<int64_t> parse_shape(const OrderedJson& value, const std::string& name,
                                 const fs::path& path) {
  if (!value.is_array()) {
    fail_in(path, "tensor '{}': shape is {}, expected an array of dimensions such as [128, 32]",
            name, excerpt(value));
  }
  std::vector<int64_t> shape;
  for (const OrderedJson& dim : value) {
    bool fits = dim.is_number_unsigned() &&
                dim.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (!fits) {
      fail_in(path, "tensor '{}': shape {} has dimension {}, expected a non-negative integer", name,
              excerpt(value), excerpt(dim));
    }
    shape.push_back(dim.get<int64_t>());
  }
  return shape;
}

void parse_offsets(const OrderedJson& value, Entry& entry, const fs::path& path) {
  bool valid = value.is_array() && value.size() == 2 && value[0].is_number_unsigned() &&
               value[1].is_number_unsigned();
  if (!valid) {
    fail_in(path,
            "tensor '{}': data_offsets is {}, expected [begin, end], two non-negative integers",
            entry.name, excerpt(value));
  }
  entry.begin = value[0].get<uint64_t>();
  entry.end = value[1].get<uint64_t>();
}

// Bytes the entry's shape and dtype need; fails when they cannot be counted.
uint64_t byte_count(const Entry& entry, const fs::path& path) {
  uint64_t bytes = c10::elementSize(entry.dtype);
  for (int64_t dim : entry.shape) {
    if (__builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes)) {
      fail_in(path,
              "tensor '{}': shape {} holds more bytes than 64 bits can count; the shape is "
              "corrupt",
              entry.name, shape_text(entry.shape));
    }
  }
  return bytes;
}

void check_extent(const Entry& entry, uint64_t data_bytes, const fs::path& path) {
  if (entry.begin > entry.end) {
    fail_in(path, "tensor '{}': data_offsets [{}, {}] begin after they end; expected begin <= end",
            entry.name, entry.begin, entry.end);
  }
  if (entry.end > data_bytes) {
    fail_in(path,
            "tensor '{}': data_offsets [{}, {}] reach past the end of the data ({} bytes "
            "after the header); the file is truncated or the offsets are wrong",
            entry.name, entry.begin, entry.end, data_bytes);
  }
  uint64_t needed = byte_count(entry, path);
  if (entry.end - entry.begin != needed) {
    fail_in(path,
            "tensor '{}': data_offsets [{}, {}] span {} bytes, but shape {} of {} needs {} "
            "bytes; the offsets or the shape are wrong",
            entry.name, entry.begin, entry.end, entry.end - entry.begin, shape_text(entry.shape),
            format_name(entry.dtype), needed);
  }
}

Entry parse_entry(const std::string& name, const OrderedJson& value, uint64_t data_bytes,
                  const fs::path& path) {
  if (!value.is_object()) {
    fail_in(path, "tensor '{}': entry is {}, expected an object with dtype, shape and data_offsets",
            name, excerpt(value));
  }
  for (const char* field : {"dtype", "shape", "data_offsets"}) {
    if (!value.contains(field)) {
      fail_in(path,
              "tensor '{}': entry has no '{}'; every tensor needs dtype, shape and data_offsets",
              name, field);
    }
  }
  Entry entry;
  entry.name = name;
  entry.dtype = parse_dtype(value.at("dtype"), name, path);
  entry.shape = parse_shape(value.at("shape"), name, path);
  parse_offsets(value.at("data_offsets"), entry, path);
  check_extent(entry, data_bytes, path);
  return entry;
}

std::map<std::string, std::string> parse_metadata(const OrderedJson& value, const fs::path& path) {
  if (!value.is_object()) {
    fail_in(path, "{} is {}, expected an object of string values", kMetadataKey, excerpt(value));
  }
  std::map<std::string, std::string> metadata;
  for (const auto& [key, text] : value.items()) {
    if (!text.is_string()) {
      fail_in(path, "{} key '{}' is {}, expected a string (metadata maps strings to strings)",
              kMetadataKey, key, excerpt(text));
    }
    metadata[key] = text.get<std::string>();
  }
  return metadata;
}

// `entries` are sorted by begin; empty tensors occupy no bytes.
void check_no_overlap(const std::vector<Entry>& entries, const fs::path& path) {
  const Entry* furthest = nullptr;
  for (const Entry& entry : entries) {
    if (entry.begin == entry.end) continue;
    if (furthest != nullptr && entry.begin < furthest->end) {
      fail_in(path,
              "tensors '{}' [{}, {}] and '{}' [{}, {}] overlap; each tensor needs its own "
              "bytes, so the file is corrupt",
              furthest->name, furthest->begin, furthest->end, entry.name, entry.begin, entry.end);
    }
    if (furthest == nullptr || entry.end > furthest->end) furthest = &entry;
  }
}

torch::Tensor read_tensor(std::ifstream& in, const Entry& entry, uint64_t data_start,
                          const fs::path& path) {
  torch::Tensor tensor = torch::empty(entry.shape, torch::TensorOptions().dtype(entry.dtype));
  uint64_t bytes = entry.end - entry.begin;
  if (bytes > 0) {
    read_exactly(in, path, data_start + entry.begin, static_cast<char*>(tensor.data_ptr()), bytes);
  }
  return tensor;
}

}  // namespace

SafetensorsContents read_safetensors(const fs::path& path) {
  uint64_t file_bytes = file_size_of(path);
  std::ifstream in(path, std::ios::binary);
  T5_CHECK(in.good(), "cannot open {}: permission denied or unreadable", path.string());
  uint64_t header_bytes = read_header_length(in, path, file_bytes);
  std::string text(header_bytes, '\0');
  read_exactly(in, path, kLengthBytes, text.data(), header_bytes);
  OrderedJson header = parse_header(text, path);

  // Every entry is checked before any tensor is allocated.
  SafetensorsContents contents;
  std::vector<Entry> entries;
  uint64_t data_start = kLengthBytes + header_bytes;
  for (const auto& [name, value] : header.items()) {
    if (name == kMetadataKey) {
      contents.metadata = parse_metadata(value, path);
    } else {
      entries.push_back(parse_entry(name, value, file_bytes - data_start, path));
    }
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
  check_no_overlap(entries, path);

  for (const Entry& entry : entries) {
    contents.tensors.emplace_back(entry.name, read_tensor(in, entry, data_start, path));
  }
  return contents;
}

namespace {

const char* dtype_name(const std::string& name, const torch::Tensor& tensor, const fs::path& path) {
  const char* format = format_name(tensor.scalar_type());
  if (format == nullptr) {
    fail(
        "cannot write {}: tensor '{}' has dtype {}, which safetensors cannot hold here; convert "
        "it to one of {}",
        path.string(), name, c10::toString(tensor.scalar_type()), fmt::join(dtype_names(), ", "));
  }
  return format;
}

// The tensors on the CPU, contiguous, after checking names and definedness.
std::vector<torch::Tensor> prepare_tensors(
    const std::vector<std::pair<std::string, torch::Tensor>>& tensors, const fs::path& path) {
  std::set<std::string> seen;
  std::vector<torch::Tensor> prepared;
  for (const auto& [name, tensor] : tensors) {
    T5_CHECK(name != kMetadataKey,
             "cannot write {}: '{}' is reserved for metadata; rename the tensor", path.string(),
             name);
    T5_CHECK(seen.insert(name).second,
             "cannot write {}: tensor name '{}' is given twice; names must be unique",
             path.string(), name);
    T5_CHECK(tensor.defined(), "cannot write {}: tensor '{}' is undefined", path.string(), name);
    prepared.push_back(tensor.cpu().contiguous());
  }
  return prepared;
}

// The JSON header, padded with spaces to a multiple of 8 bytes as the
// reference writer pads it, so that the data starts 8-byte aligned.
std::string header_text(const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                        const std::vector<torch::Tensor>& prepared,
                        const std::map<std::string, std::string>& metadata, const fs::path& path) {
  OrderedJson header = OrderedJson::object();
  if (!metadata.empty()) header[kMetadataKey] = metadata;
  uint64_t offset = 0;
  for (size_t i = 0; i < prepared.size(); ++i) {
    uint64_t bytes = prepared[i].numel() * prepared[i].element_size();
    header[tensors[i].first] = {{"dtype", dtype_name(tensors[i].first, prepared[i], path)},
                                {"shape", prepared[i].sizes().vec()},
                                {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::type_error& e) {
    fail("cannot write {}: a tensor name or metadata string is not valid UTF-8 ({})", path.string(),
         e.what());
  }
  text.append((kLengthBytes - text.size() % kLengthBytes) % kLengthBytes, ' ');
  return text;
}

void write_length(std::ostream& out, uint64_t length) {
  char bytes[kLengthBytes];
  for (size_t i = 0; i < kLengthBytes; ++i) {
    bytes[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  }
  out.write(bytes, kLengthBytes);
}

}  // namespace

void write_safetensors(const fs::path& path,
                       const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<torch::Tensor> prepared = prepare_tensors(tensors, path);
  std::string header = header_text(tensors, prepared, metadata, path);
  write_file_atomically(path, [&](std::ostream& out) {
    write_length(out, header.size());
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const torch::Tensor& tensor : prepared) {
      auto bytes = static_cast<std::streamsize>(tensor.numel() * tensor.element_size());
      if (bytes > 0) out.write(static_cast<const char*>(tensor.data_ptr()), bytes);
    }
  });
}

}  // namespace t5
