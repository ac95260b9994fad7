#include "t5/tasks/input_file.h"

#include <zlib.h>

#include <cstring>

#include "t5/util/error.h"

namespace t5 {
namespace {

constexpr size_t kBlockBytes = 1 << 18;

gzFile as_gz(void* file) { return static_cast<gzFile>(file); }

}  // namespace

InputFile::InputFile(const std::filesystem::path& path) : path_(path.string()) {
  T5_CHECK(std::filesystem::is_regular_file(path), "cannot open {}: no such file", path_);
  // zlib reads files that are not gzip data transparently, as they are.
  gzFile file = gzopen(path_.c_str(), "rb");
  T5_CHECK(file != nullptr, "cannot open {}: not readable", path_);
  gzbuffer(file, kBlockBytes);
  file_ = file;
  buffer_.resize(kBlockBytes);
}

InputFile::~InputFile() {
  if (file_ != nullptr) gzclose(as_gz(file_));
}

bool InputFile::fill() {
  if (position_ < end_) return true;
  int read = gzread(as_gz(file_), buffer_.data(), static_cast<unsigned>(buffer_.size()));
  // A gzip stream cut short ends without an error from gzread; zlib reports
  // it as Z_BUF_ERROR instead.
  int code = Z_OK;
  const char* message = gzerror(as_gz(file_), &code);
  if (read < 0 || (read == 0 && code != Z_OK)) {
    fail("{}: cannot read past line {}: {}; is the .gz file complete?", path_, current_line(),
         message != nullptr && *message != '\0' ? message : "read error");
  }
  position_ = 0;
  end_ = static_cast<size_t>(read);
  if (at_start_) {
    at_start_ = false;
    if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) position_ = 3;
  }
  return position_ < end_;
}

int InputFile::get() {
  if (!fill()) return -1;
  unsigned char byte = static_cast<unsigned char>(buffer_[position_++]);
  if (byte == '\n') ++newlines_;
  return byte;
}

int InputFile::peek() {
  if (!fill()) return -1;
  return static_cast<unsigned char>(buffer_[position_]);
}

bool InputFile::read_line(std::string& line) {
  line.clear();
  bool any = false;
  while (fill()) {
    any = true;
    const char* start = buffer_.data() + position_;
    size_t available = end_ - position_;
    const void* newline = std::memchr(start, '\n', available);
    if (newline == nullptr) {
      line.append(start, available);
      position_ = end_;
      continue;
    }
    size_t length = static_cast<const char*>(newline) - start;
    line.append(start, length);
    position_ += length + 1;
    ++newlines_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    last_line_ = newlines_;
    return true;
  }
  if (!any) return false;
  // A last line without a final newline.
  if (!line.empty() && line.back() == '\r') line.pop_back();
  last_line_ = newlines_ + 1;
  return true;
}

}  // namespace t5
