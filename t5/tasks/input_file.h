#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace t5 {

// Reads a data file in blocks, one line or one byte at a time, so files of
// any size stream in constant memory. Gzip-compressed files (C4's
// .json.gz) are recognised by their content and decompressed on the fly;
// other files are read as they are. A UTF-8 byte order mark at the start is
// dropped (GLUE's MRPC files have one).
class InputFile {
 public:
  // Throws t5::Error naming the path when the file cannot be opened.
  explicit InputFile(const std::filesystem::path& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Reads the next line into `line`, without its "\n" or "\r\n"; a last
  // line without a final newline is returned too. False at the end.
  bool read_line(std::string& line);

  // The next byte (0-255) and advances, or -1 at the end.
  int get();
  // The next byte without advancing, or -1 at the end.
  int peek();

  // The 1-based number of the line last returned by read_line.
  int64_t last_line() const { return last_line_; }
  // The 1-based number of the line the next byte belongs to.
  int64_t current_line() const { return newlines_ + 1; }

  const std::string& path() const { return path_; }

 private:
  // Refills the buffer; false at the end. Throws t5::Error for corrupt
  // gzip data (the file cannot be read past it).
  bool fill();

  std::string path_;
  void* file_ = nullptr;  // a zlib gzFile
  std::vector<char> buffer_;
  size_t position_ = 0;
  size_t end_ = 0;
  bool at_start_ = true;
  int64_t newlines_ = 0;  // "\n" bytes consumed so far
  int64_t last_line_ = 0;
};

}  // namespace t5
