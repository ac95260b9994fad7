#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "t5/experiments/slurm.h"
#include "t5/util/json.h"

namespace t5 {

// A sweep file: a base run config, axes that vary it, and seeds.
//
//   {"name": "objectives",                    required; [A-Za-z0-9._-]+
//    "description": "...",                    optional text for the report
//    "base": {...run config...},              required object
//    "axes": [                                optional; absent = one point
//      {"key": "pretrain.objective.name",     dotted path into the config
//       "values": ["span_corruption", "prefix_lm"],
//       "labels": ["span corruption", "prefix LM"],   optional, one per value
//       "name": "objective"},                 optional column header
//      {"zip": [{"key": "a.b", "values": [1, 2]},     keys that move together
//               {"key": "a.c", "values": [3, 4]}],    (equal lengths)
//       "labels": ["small", "large"], "name": "size"}],
//    "seeds": [0, 1, 2],                      optional; default [0]
//    "task_labels": {"glue_sst2": "SST-2"},   optional column names
//    "baselines": [{"label": "majority class",
//                   "scores": {"glue_sst2": {"accuracy": 50.9}}}],
//    "slurm": {...}}                          optional, see slurm.h
//
// Axes form a grid (the first axis varies slowest); every grid point runs
// once per seed. A point's config is the base with each axis value set at
// its key and "seed" set to the point's seed.

// One key of an axis and the values it takes.
struct SweepAxisKey {
  std::string key;
  std::vector<Json> values;
};

// One axis: a single key, or several keys zipped together (value i of every
// key forms step i of the axis).
struct SweepAxis {
  std::vector<SweepAxisKey> keys;
  // One label per step: given, or the values as compact text ("0.1, 2").
  std::vector<std::string> labels;
  // The column header of the axis: given, or the last part of each key.
  std::string name;

  size_t size() const { return labels.size(); }
};

// A reference row of the results table (e.g. the majority-class score).
struct SweepBaseline {
  std::string label;
  // task -> metric -> score
  std::map<std::string, std::map<std::string, double>> scores;
};

struct SweepSpec {
  std::string name;
  std::string description;
  // The file the spec came from ("" when built in code); errors name it.
  std::string origin;
  Json base;
  std::vector<SweepAxis> axes;
  std::vector<int64_t> seeds{0};
  std::map<std::string, std::string> task_labels;
  std::vector<SweepBaseline> baselines;
  SlurmOptions slurm;

  // Reads a sweep from parsed JSON. Throws t5::Error naming `origin` and the
  // key path for unknown keys (with the nearest known key), a missing or bad
  // name or base, empty axes or values, labels of the wrong count, zipped
  // keys of unequal lengths, a key used by two axes, an axis on "seed", no
  // seeds or repeated seeds, and malformed baselines or slurm options.
  static SweepSpec from_json(const Json& json, const std::string& origin);

  // The resolved spec (defaults filled in), as written to <out>/sweep.json.
  Json to_json() const;

  // The number of grid points (product of the axis sizes; 1 without axes).
  size_t grid_size() const;
};

// Reads and checks a sweep file (see SweepSpec::from_json).
SweepSpec load_sweep_file(const std::string& path);

// One run of the sweep: a grid point with one seed.
struct SweepPoint {
  // "003-seed1": grid index and seed, unique within the sweep.
  std::string id;
  size_t grid_index = 0;
  int64_t seed = 0;
  // Per axis: the step this point takes and its label.
  std::vector<size_t> steps;
  std::vector<std::string> labels;
  // The point's run config: base + axis values + seed.
  Json config;

  // The axis labels joined by ", " ("base" for a sweep without axes): the
  // point's row in the results table.
  std::string row_label() const;
  // "'span corruption' seed 0", for log lines and errors.
  std::string describe() const;
};

// Every point, grid-major (grid point 0 with each seed, then grid point 1...).
// Throws t5::Error naming the sweep file and axis when a value cannot be set
// (e.g. its key passes through a value that is not an object).
std::vector<SweepPoint> expand_sweep(const SweepSpec& spec);

// The value as compact text: strings without quotes, other JSON dumped.
std::string compact_text(const Json& value);

}  // namespace t5
