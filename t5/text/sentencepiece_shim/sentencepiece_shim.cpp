// The SentencePiece shim: the only code of the project that links
// libsentencepiece and libsentencepiece_train. It is a plugin
// (libt5_sentencepiece.so) that t5::core opens at run time, not a library
// that t5::core links.
//
// Why: Debian's libsentencepiece carries its own copy of protobuf-lite and
// exports its symbols. LibTorch loads the system libprotobuf. With both in
// one process, the dynamic linker binds some of one copy's symbols to the
// other's, and the process crashes during protobuf's static initialisation,
// before main. t5::core therefore opens this library with RTLD_LOCAL (its
// symbols stay out of the global scope) and RTLD_DEEPBIND (it and
// libsentencepiece look symbols up in themselves first), so each protobuf
// copy only ever sees itself. The boundary is the abstract interface in
// t5/text/sentencepiece_backend.h; see that header for its rules.
//
// RTLD_DEEPBIND has one cost, paid in share_standard_streams() below: the
// standard streams that SentencePiece logs to must be made valid in the
// deep-bound view of libstdc++.

#include <dlfcn.h>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <exception>
#include <fstream>
#include <iostream>
#include <new>
#include <unordered_map>

#include "t5/text/sentencepiece_backend.h"

namespace {

namespace spm = sentencepiece;

// Makes `deep_bound` (a standard stream as this library sees it) share the
// state of the stream of the same symbol that the rest of the process uses.
// The lookup starts at the executable: RTLD_DEFAULT would search in this
// library's deep-bound order and find `deep_bound` itself.
template <typename Stream>
void share_stream(Stream& deep_bound, const char* symbol) {
  static void* const executable = ::dlopen(nullptr, RTLD_NOW);
  auto* process_wide = static_cast<Stream*>(::dlsym(executable, symbol));
  if (process_wide == nullptr || process_wide == &deep_bound) return;
  Stream* stream = new (&deep_bound) Stream(process_wide->rdbuf());
  stream->flags(process_wide->flags());
  stream->tie(process_wide->tie());
}

// An executable that names std::cerr, std::cout or std::cin holds its own
// copy of the stream object (a copy relocation), and at start-up libstdc++
// constructs only that copy. Deep-bound code, like this library and
// libsentencepiece, binds to libstdc++'s own storage instead, which stays
// unconstructed, so SentencePiece's first log line would crash. Construct
// streams there that share the executable's buffers (as libstdc++ itself
// constructs its streams in place). Of the other objects libsentencepiece
// takes from libstdc++ and libc, none is built or changed at run time in a
// way deep binding would hide: vtables and type infos are constant, and
// glibc keeps both copies of __libc_single_threaded up to date.
void share_standard_streams() {
  share_stream(std::cerr, "_ZSt4cerr");
  share_stream(std::cout, "_ZSt4cout");
  share_stream(std::cin, "_ZSt3cin");
}

// Copies a failed status into `*error`; returns whether it was ok.
bool check(const spm::util::Status& status, std::string* error) {
  if (status.ok()) return true;
  *error = status.ToString();
  return false;
}

// Runs `body`, turning any exception into a false return and a message, so
// none crosses the boundary.
template <typename Body>
bool guarded(std::string* error, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    *error = e.what();
  } catch (...) {
    *error = "unknown exception in the SentencePiece shim";
  }
  return false;
}

class Model : public t5::SentencePieceModel {
 public:
  explicit Model(std::unique_ptr<spm::SentencePieceProcessor> processor)
      : processor_(std::move(processor)) {}

  int piece_size() const override { return processor_->GetPieceSize(); }
  int pad_id() const override { return processor_->pad_id(); }
  int eos_id() const override { return processor_->eos_id(); }
  int unk_id() const override { return processor_->unk_id(); }
  int bos_id() const override { return processor_->bos_id(); }
  std::string id_to_piece(int id) const override { return processor_->IdToPiece(id); }

  bool encode(const std::string& text, t5::SentencePieceEncoding* out,
              std::string* error) const override {
    return guarded(error, [&] {
      spm::ImmutableSentencePieceText segmented;
      if (!check(processor_->Encode(text, segmented.mutable_proto()), error)) return false;
      out->ids.clear();
      out->pieces.clear();
      for (const auto& piece : segmented.pieces()) {
        out->ids.push_back(static_cast<int>(piece.id()));
        // An unknown character has no piece of its own; its text says more
        // than "<unk>" would.
        bool unknown = processor_->IsUnknown(static_cast<int>(piece.id()));
        out->pieces.push_back(unknown ? piece.surface() : piece.piece());
      }
      return true;
    });
  }

  bool decode(const std::vector<int>& ids, std::string* text, std::string* error) const override {
    return guarded(error, [&] { return check(processor_->Decode(ids, text), error); });
  }

 private:
  std::unique_ptr<spm::SentencePieceProcessor> processor_;
};

// Feeds the trainer the lines of several files, in order. An unreadable file
// ends the iteration with an error status naming it.
class FileLines : public spm::SentenceIterator {
 public:
  explicit FileLines(const std::vector<std::string>& files) : files_(files) { advance(); }

  bool done() const override { return done_; }
  void Next() override { advance(); }
  const std::string& value() const override { return line_; }
  spm::util::Status status() const override { return status_; }

 private:
  void advance() {
    while (!done_) {
      if (in_.is_open() && std::getline(in_, line_)) return;
      if (!open_next()) done_ = true;
    }
  }

  bool open_next() {
    in_.close();
    if (next_file_ == files_.size()) return false;
    const std::string& path = files_[next_file_++];
    in_.open(path, std::ios::binary);
    if (in_.is_open()) return true;
    status_ = spm::util::Status(spm::util::StatusCode::kNotFound, "cannot read " + path);
    return false;
  }

  const std::vector<std::string>& files_;
  size_t next_file_ = 0;
  std::ifstream in_;
  std::string line_;
  bool done_ = false;
  spm::util::Status status_;
};

class Backend : public t5::SentencePieceBackend {
 public:
  std::unique_ptr<t5::SentencePieceModel> load(const std::string& serialized_model,
                                               std::string* error) const override {
    std::unique_ptr<t5::SentencePieceModel> model;
    guarded(error, [&] {
      auto processor = std::make_unique<spm::SentencePieceProcessor>();
      if (!check(processor->LoadFromSerializedProto(serialized_model), error)) return false;
      model = std::make_unique<Model>(std::move(processor));
      return true;
    });
    return model;
  }

  bool train(const t5::SentencePieceTrainRequest& request, std::string* serialized_model,
             std::string* error) const override {
    return guarded(error, [&] {
      std::unordered_map<std::string, std::string> flags(request.trainer_flags.begin(),
                                                         request.trainer_flags.end());
      FileLines lines(request.input_files);
      return check(spm::SentencePieceTrainer::Train(flags, &lines, serialized_model), error);
    });
  }
};

}  // namespace

extern "C" __attribute__((visibility("default"))) t5::SentencePieceBackend*
t5_sentencepiece_backend(int abi_version) {
  static Backend backend = [] {
    share_standard_streams();
    return Backend();
  }();
  return abi_version == t5::kSentencePieceShimAbiVersion ? &backend : nullptr;
}
