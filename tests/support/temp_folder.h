#pragma once

#include <filesystem>
#include <string>

namespace t5::testing {

// A fresh folder under the system's temporary folder, removed with its
// contents when the object goes out of scope. The name holds `label`, the
// process id and a counter, so parallel test processes never share one.
class TempFolder {
 public:
  explicit TempFolder(const std::string& label);
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace t5::testing
