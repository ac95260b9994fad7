#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace t5 {

// Writes a file atomically: `write` fills a temporary file beside `path`,
// which is flushed and renamed over `path` only when `write` returns without
// throwing. Readers never see a half-written file. Throws t5::Error naming
// the path when the file cannot be written.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

// Same, for a string's bytes.
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

// Reads a whole file; throws t5::Error naming the path when it cannot.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace t5
