#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/analysis/Tsne.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace poisonlab::experiment {

/// One 2-D projection (PCA or t-SNE) of a run's image and caption embeddings, and of a clean
/// reference run's, in the format and cache of `poisonlab-cli analyze`
/// (results/analysis/projection_<method>.json; docs/run-directory.md).
struct ProjectionOptions {
    std::filesystem::path runDir;
    std::string method = "tsne";        ///< "pca" or "tsne"
    std::string model = "final";        ///< the evaluation record projected (results/embeddings/<model>)
    std::filesystem::path referenceRun; ///< another run whose record of `model` is projected too; empty: none
    analysis::TsneOptions tsne;         ///< t-SNE only
};

/// results/analysis/projection_<method>.json of a run directory.
std::filesystem::path projectionFile(const std::filesystem::path &runDir, const std::string &method);

/// How the reference is named in the document, as `analyze --reference RUN` names it:
/// "<reference run's name>/<model>"; empty without a reference.
std::string projectionReferenceLabel(const ProjectionOptions &options);

/// Whether a projection document was made with these options: same method, model and reference
/// label, both entries present, and (t-SNE) the same TsneOptions::toJson() parameters (a document
/// from before Barnes-Hut, without "method" and "angle", counts as "exact"). A document
/// without a reference also fits options without one; options without a reference accept any.
bool projectionMatches(const nlohmann::json &document, const ProjectionOptions &options);

/// The cached document when it exists, parses and matches the options; nullopt otherwise.
std::optional<nlohmann::json> readCachedProjection(const ProjectionOptions &options);

/// Computes the document (PCA fitted per model, images and captions together; t-SNE as
/// analysis::tsne with the options, the same seeded sample for both models). Progress under
/// stage "project"; CancelledError when cancelled. Writes nothing.
nlohmann::json computeProjection(const ProjectionOptions &options, ProgressReporter &progress);

/// The cached document when it matches, else computeProjection() written atomically to
/// projectionFile() (replacing an older one). A cancelled computation writes nothing.
nlohmann::json projectRun(const ProjectionOptions &options, ProgressReporter &progress, bool *fromCache = nullptr);

} // namespace poisonlab::experiment
