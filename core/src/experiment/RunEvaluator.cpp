#include "poisonlab/core/experiment/RunEvaluator.h"

#include "poisonlab/core/train/DatasetImageSource.h"

namespace poisonlab::experiment {

RunGalleries galleriesOf(const ExperimentData &data)
{
    return {data.evalDataset, data.evalSplit, data.utilityDataset, data.utilityName, data.utilitySplit};
}

RunEvaluator::RunEvaluator(const RunGalleries &g, int resolution, train::TokenizeFn tokenize,
                           const eval::EvalOptions &options, std::shared_ptr<data::ImageCache> diskCache)
    : m_utilityName(g.utilityName)
{
    // Own image sources: an epoch hook evaluates while the trainer's loader may be prefetching.
    auto images =
        std::make_shared<train::DatasetImageSource>(g.evalDataset, resolution, std::size_t(512) << 20, diskCache);
    m_gallery = std::make_unique<eval::Evaluator>(g.evalDataset, g.evalSplit, images, tokenize, options);
    if (g.utilityDataset) {
        auto utilityImages = std::make_shared<train::DatasetImageSource>(g.utilityDataset, resolution,
                                                                         std::size_t(256) << 20, diskCache);
        m_utility =
            std::make_unique<eval::Evaluator>(g.utilityDataset, g.utilitySplit, utilityImages, tokenize, options);
    }
}

void RunEvaluator::setProcessGroup(const std::shared_ptr<distributed::DistributedGroup> &group)
{
    m_gallery->setProcessGroup(group);
    if (m_utility)
        m_utility->setProcessGroup(group);
}

eval::EvaluationResult RunEvaluator::evaluate(clip::ClipModel &model, const std::vector<eval::GoalSpec> &goals,
                                              ProgressReporter &progress)
{
    m_galleryResult = m_gallery->evaluate(model, goals, progress);
    eval::EvaluationResult out = m_galleryResult;
    if (m_utility) {
        out.utility = eval::UtilityFigures::from(m_utility->utility(model, progress));
        const eval::SplitEmbeddings &e = m_utility->embed(model, progress); // cached by utility()
        out.utilityGallery = eval::UtilityGallery{m_utilityName,
                                                  m_utility->split() == data::Split::None
                                                      ? std::string("all")
                                                      : std::string(data::splitName(m_utility->split())),
                                                  std::int64_t(e.imageIds.size()), std::int64_t(e.captionIds.size())};
    }
    return out;
}

} // namespace poisonlab::experiment
