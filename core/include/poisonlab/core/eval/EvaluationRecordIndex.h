#pragma once

#include "poisonlab/core/eval/Ties.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::eval {

/// What an evaluation record's index.json says about its rows (docs/run-directory.md), checked
/// for shape before anything indexes with it: every image and caption entry an object, "path"
/// and "text" strings, classes named in "classes", each caption's image_row one of the images.
/// Kept apart from EvaluationRecord (which adds the .npy embeddings) so that the parser of this
/// file from outside needs no LibTorch and can be fuzzed on its own (tests/fuzz).
struct EvaluationRecordIndex {
    std::string model;
    std::size_t images = 0;   ///< entries of "images"
    std::size_t captions = 0; ///< entries of "captions"
    std::vector<std::string> classes;
    std::vector<int> imageClass;      ///< per image row: class index, -1 none
    std::vector<int> captionClass;    ///< per caption row: class index, -1 none
    std::vector<int> captionImageRow; ///< per caption row: the row of its image
    std::vector<char> captionPoisoned;
    Ties ties = Ties::Optimistic; ///< "eval_options"."ties"

    /// Throws poisonlab::Error naming `file` and the entry when `index` is malformed. `model` is
    /// the record's name when index.json has none (its folder's name).
    static EvaluationRecordIndex fromJson(const nlohmann::json &index, const std::filesystem::path &file,
                                          const std::string &model);
};

} // namespace poisonlab::eval
