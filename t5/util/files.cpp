#include "t5/util/files.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "t5/util/error.h"

namespace t5 {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  if (path.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    T5_CHECK(!ec, "cannot create folder {}: {}", path.parent_path().string(), ec.message());
  }
  // The pid and thread keep two processes, or two threads (sweep workers),
  // writing the same file from sharing a temporary.
  fs::path temporary = path;
  temporary += fmt::format(".tmp{}-{:x}", ::getpid(),
                           std::hash<std::thread::id>()(std::this_thread::get_id()));
  try {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    T5_CHECK(out.good(), "cannot open {} for writing; is the folder writable?", temporary.string());
    write(out);
    out.flush();
    T5_CHECK(out.good(), "writing {} failed (disk full?)", temporary.string());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    fail("cannot move {} to {}: {}", temporary.string(), path.string(), ec.message());
  }
}

void write_text_atomically(const std::filesystem::path& path, const std::string& text) {
  write_file_atomically(path, [&](std::ostream& out) { out.write(text.data(), text.size()); });
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  T5_CHECK(in.good(), "cannot open {}: no such file or not readable", path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace t5
