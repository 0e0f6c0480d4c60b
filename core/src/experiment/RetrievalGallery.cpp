// RetrievalGallery's queries: rankings over the gallery's embeddings by the metrics' rule.
#include "poisonlab/core/experiment/RetrievalGallery.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/RetrievalRanking.h"

#include <torch/torch.h>

namespace poisonlab::experiment {

using nlohmann::json;

bool RetrievalGallery::isTarget(int imageRow) const
{
    return imageRow >= 0 && std::size_t(imageRow) < m_target.size() && m_target[std::size_t(imageRow)] != 0;
}

int RetrievalGallery::captionRowOf(const std::string &text) const
{
    for (std::size_t r = 0; r < m_dataset->captions.size(); ++r)
        if (m_dataset->captions[r].text == text)
            return int(r);
    return -1;
}

int RetrievalGallery::imageRowOf(const std::string &path) const
{
    for (std::size_t r = 0; r < m_dataset->images.size(); ++r)
        if (m_dataset->images[r].path == path)
            return int(r);
    return -1;
}

void RetrievalGallery::checkCaptionRow(int row) const
{
    if (row < 0 || row >= captionCount())
        throw Error(m_record.dir / "index.json", "has no caption row " + std::to_string(row) + " (the gallery has " +
                                                     std::to_string(captionCount()) + " captions, rows 0-" +
                                                     std::to_string(captionCount() - 1) + ")");
}

void RetrievalGallery::checkImageRow(int row) const
{
    if (row < 0 || row >= imageCount())
        throw Error(m_record.dir / "index.json", "has no image row " + std::to_string(row) + " (the gallery has " +
                                                     std::to_string(imageCount()) + " images, rows 0-" +
                                                     std::to_string(imageCount() - 1) + ")");
}

torch::Tensor RetrievalGallery::embedText(const std::string &text) const
{
    if (!m_textModel)
        throw Error("typed queries need the " + m_model + " model's weights: " + m_textProblem);
    if (m_tokenizer->encode(text).empty())
        throw Error("the query \"" + text + "\" tokenises to nothing; type a few words");
    namespace F = torch::nn::functional;
    std::lock_guard<std::mutex> lock(m_encodeMutex);
    torch::NoGradGuard noGrad;
    clip::ClipModel model = m_textModel;
    const int L = model->config().contextLength;
    std::vector<std::int64_t> ids = m_tokenizer->tokenizeBatch({text}, L);
    const torch::Tensor tokens = torch::from_blob(ids.data(), {1, L}, torch::kInt64).clone();
    const torch::Tensor e = model->encodeText(tokens).to(torch::kFloat32);
    return F::normalize(e, F::NormalizeFuncOptions().dim(-1)).reshape({-1}).contiguous();
}

std::vector<ImageHit> RetrievalGallery::imageHits(const float *scores, int k) const
{
    const json &images = m_record.index.at("images");
    std::vector<ImageHit> out;
    for (const eval::RankedItem &item : eval::topRanked(scores, imageCount(), k, m_ties)) {
        const std::size_t r = std::size_t(item.index);
        const int cls = m_record.imageClass[r];
        out.push_back({item.index, images[r].value("image", -1), item.score, item.rank, images[r].value("path", ""),
                       cls >= 0 ? m_record.classes[std::size_t(cls)] : std::string(), isTarget(item.index)});
    }
    return out;
}

std::vector<ImageHit> RetrievalGallery::topImages(const torch::Tensor &query, int k) const
{
    const torch::Tensor q = query.to(torch::kFloat32).reshape({1, -1});
    if (q.size(1) != m_record.images.size(1))
        throw Error("a query of " + std::to_string(q.size(1)) + " dimensions against a gallery of " +
                    std::to_string(m_record.images.size(1)));
    const torch::Tensor scores = q.matmul(m_record.images.t()).contiguous();
    return imageHits(scores.data_ptr<float>(), k);
}

std::vector<ImageHit> RetrievalGallery::topImagesForText(const std::string &text, int k) const
{
    return topImages(embedText(text), k);
}

std::vector<ImageHit> RetrievalGallery::topImagesForCaption(int captionRow, int k) const
{
    checkCaptionRow(captionRow);
    if (m_similarity.defined())
        return imageHits(m_similarity.data_ptr<float>() + std::int64_t(captionRow) * imageCount(), k);
    return topImages(m_record.captions[captionRow], k);
}

std::vector<CaptionHit> RetrievalGallery::topCaptions(int imageRow, int k) const
{
    checkImageRow(imageRow);
    const torch::Tensor column = m_similarity.defined()
                                     ? m_similarity.select(1, imageRow).contiguous()
                                     : m_record.captions.matmul(m_record.images[imageRow]).contiguous();
    const json &captions = m_record.index.at("captions");
    std::vector<CaptionHit> out;
    for (const eval::RankedItem &item : eval::topRanked(column.data_ptr<float>(), captionCount(), k, m_ties)) {
        const std::size_t r = std::size_t(item.index);
        const int cls = m_record.captionClass[r];
        out.push_back({item.index, captions[r].value("caption", -1), item.score, item.rank,
                       captions[r].value("text", ""), cls >= 0 ? m_record.classes[std::size_t(cls)] : std::string(),
                       m_record.captionImageRow[r], m_record.captionPoisoned[r] != 0});
    }
    return out;
}

} // namespace poisonlab::experiment
