#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/eval/Ties.h"

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// What load() opens: a run directory and one of its models.
struct RetrievalGalleryOptions {
    std::filesystem::path runDir;
    std::string model = "final"; ///< final | initial | epoch-<N>
    /// Also load the model itself, so typed queries can be embedded. A model whose weights the
    /// run does not keep (an old epoch) still answers caption and image queries from its record.
    bool textModel = true;
};

/// A gallery image in a ranking.
struct ImageHit {
    int row = -1;          ///< row of images.npy (the gallery's image index)
    int image = -1;        ///< the dataset's image index
    float score = 0;       ///< cosine similarity to the query
    std::int64_t rank = 0; ///< by the record's rank rule (eval_options.ties): images scoring strictly higher, or other
                           ///< images scoring higher or equal
    std::string path;      ///< relative to its dataset root
    std::string className;
    bool target = false; ///< a target image of the run's attack goals
};

/// A gallery caption in a ranking.
struct CaptionHit {
    int row = -1;     ///< row of captions.npy
    int caption = -1; ///< the dataset's caption index
    float score = 0;
    std::int64_t rank = 0;
    std::string text;
    std::string className; ///< the class of the caption's own image
    int imageRow = -1;     ///< the gallery row of the caption's own image
    bool poisoned = false;
};

/// The evaluation gallery of one model of a run, embedded once, answering retrieval queries:
/// a typed text, a gallery caption, or a gallery image. The embeddings are the run's evaluation
/// record (results/embeddings/<model>/, exactly what its metrics were computed from); a model
/// the run did not evaluate is embedded by load() and its record written in the same format
/// (atomically: a cancelled load leaves nothing). Rankings use the metrics' scores
/// (captions x images, float32) and rank rule. Immutable after load(), safe to share across
/// threads; typed queries are embedded one at a time.
class RetrievalGallery {
public:
    /// Throws poisonlab::Error naming what is missing (the run, its config, the model's file, a
    /// record's file) and CancelledError when `progress` is cancelled.
    static std::shared_ptr<const RetrievalGallery> load(const RetrievalGalleryOptions &options,
                                                        ProgressReporter &progress);

    const std::filesystem::path &runDir() const { return m_runDir; }
    const std::string &runName() const { return m_runName; }
    const std::string &model() const { return m_model; }
    const eval::EvaluationRecord &record() const { return m_record; }
    /// The gallery as a dataset: image r is row r of images.npy (its path relative to the run's
    /// dataset root holding it), caption r is row r of captions.npy (its image: that row's image).
    std::shared_ptr<const data::Dataset> dataset() const { return m_dataset; }
    int imageCount() const { return int(m_record.images.size(0)); }
    int captionCount() const { return int(m_record.captions.size(0)); }
    bool isTarget(int imageRow) const;
    /// The first gallery caption with this text, or -1 (to ask another run's gallery the same).
    int captionRowOf(const std::string &text) const;
    /// The gallery row of the image at this dataset path, or -1.
    int imageRowOf(const std::string &path) const;
    const std::vector<std::string> &goalNames() const { return m_goalNames; }
    /// The rank rule of the record's metrics (its eval_options.ties; optimistic when absent).
    eval::Ties ties() const { return m_ties; }
    /// True when no record existed and load() embedded the gallery and wrote the record.
    bool computedNow() const { return m_computedNow; }
    bool canEmbedText() const { return bool(m_textModel); }
    /// The model's tokenizer (null when canEmbedText() is false).
    std::shared_ptr<const clip::Tokenizer> tokenizer() const { return m_tokenizer; }
    /// Why typed queries cannot be answered (empty when they can).
    const std::string &textProblem() const { return m_textProblem; }

    /// The query embedded as the metrics embed captions (tokenised, the text encoder,
    /// L2-normalised): float32 [D]. Throws poisonlab::Error when the text tokenises to nothing
    /// or the model's weights are not available (textProblem()).
    torch::Tensor embedText(const std::string &text) const;

    /// The k images closest to a unit query vector [D], best first.
    std::vector<ImageHit> topImages(const torch::Tensor &query, int k) const;
    std::vector<ImageHit> topImagesForText(const std::string &text, int k) const;
    /// The ranking of caption row `captionRow` (its row of the metrics' similarity matrix).
    std::vector<ImageHit> topImagesForCaption(int captionRow, int k) const;
    /// The k captions closest to gallery image `imageRow` (text retrieval's column).
    std::vector<CaptionHit> topCaptions(int imageRow, int k) const;

private:
    RetrievalGallery() = default;
    std::vector<ImageHit> imageHits(const float *scores, int k) const;
    void checkCaptionRow(int row) const;
    void checkImageRow(int row) const;
    void buildDataset(const std::vector<std::filesystem::path> &roots);
    void findTargets();

    std::filesystem::path m_runDir;
    std::string m_runName;
    std::string m_model;
    eval::EvaluationRecord m_record;
    torch::Tensor m_similarity; ///< captions x images as the Evaluator computes it; undefined when too large
    std::shared_ptr<data::Dataset> m_dataset;
    std::vector<char> m_target;
    std::vector<std::string> m_goalNames;
    eval::Ties m_ties = eval::Ties::Optimistic;
    bool m_computedNow = false;
    clip::ClipModel m_textModel{nullptr};
    std::shared_ptr<clip::Tokenizer> m_tokenizer;
    std::string m_textProblem;
    mutable std::mutex m_encodeMutex;
};

} // namespace poisonlab::experiment
