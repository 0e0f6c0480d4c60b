// FusedAdamW computes torch::optim::AdamW's update (same state, same arithmetic) in one pass.
#include "TestSupport.h"

#include "poisonlab/core/clip/ClipConfig.h"
#include "poisonlab/core/clip/ClipLoss.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/FusedAdamW.h"

using namespace poisonlab::clip;

class TestClipFusedAdamW : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTorchAdamW_data();
    void matchesTorchAdamW();
    void trainsAClipModelLikeTorchAdamW();
};

void TestClipFusedAdamW::matchesTorchAdamW_data()
{
    QTest::addColumn<bool>("contiguous");
    QTest::newRow("contiguous (fused path)") << true;
    QTest::newRow("transposed (generic path)") << false;
}

void TestClipFusedAdamW::matchesTorchAdamW()
{
    QFETCH(bool, contiguous);
    torch::manual_seed(7);
    torch::Tensor init = torch::randn({300, 70});
    if (!contiguous)
        init = init.t();
    torch::Tensor a = init.clone().set_requires_grad(true);
    torch::Tensor b = (contiguous ? init.clone() : init.t().clone().t()).set_requires_grad(true);
    const auto opts = torch::optim::AdamWOptions(1e-2).betas({0.9, 0.98}).eps(1e-6).weight_decay(0.2);
    torch::optim::AdamW reference({a}, opts);
    FusedAdamW fused({b}, opts);
    for (int step = 0; step < 5; ++step) {
        const torch::Tensor g = torch::randn(init.sizes()) * (step + 1);
        a.mutable_grad() = g.clone();
        b.mutable_grad() = contiguous ? g.clone() : g.t().clone().t();
        reference.step();
        fused.step();
        const double err = ((a - b).abs().max() / a.abs().max()).item<double>();
        QVERIFY2(err < 1e-6, std::to_string(err).c_str());
    }
    // The state is AdamW's: it serialises and resumes like torch::optim::AdamW.
    const auto &st =
        static_cast<torch::optim::AdamWParamState &>(*fused.state().at(c10::guts::to_string(b.unsafeGetTensorImpl())));
    QCOMPARE(st.step(), int64_t(5));
}

namespace {

/// Two parameter groups (decay / no decay), as the Trainer builds them.
std::vector<torch::optim::OptimizerParamGroup> groupsOf(ClipModel &model)
{
    std::vector<torch::Tensor> decay, none;
    for (auto &item : model->named_parameters(true))
        (item.value().dim() >= 2 ? decay : none).push_back(item.value());
    const auto base = torch::optim::AdamWOptions(1e-3).betas({0.9, 0.98}).eps(1e-6).weight_decay(0.2);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(base));
    auto noDecay = std::make_unique<torch::optim::AdamWOptions>(base);
    noDecay->weight_decay(0.0);
    groups.emplace_back(none, std::move(noDecay));
    return groups;
}

} // namespace

// The whole model, both groups, several steps of the contrastive loss: every parameter (and the
// version counters the Evaluator's embedding cache relies on) must move as with torch's AdamW.
void TestClipFusedAdamW::trainsAClipModelLikeTorchAdamW()
{
    ClipConfig cfg = ClipConfig::preset("demo-tiny");
    cfg.vocabSize = 600; // token_embedding above the kernel's 65536-element parallel grain
    cfg.contextLength = 8;
    torch::manual_seed(3);
    ClipModel a(cfg), b(cfg);
    a->reset_parameters();
    {
        torch::NoGradGuard noGrad;
        auto pa = a->named_parameters(true);
        auto pb = b->named_parameters(true);
        for (auto &item : pa)
            pb[item.key()].copy_(item.value());
    }
    const auto opts = torch::optim::AdamWOptions(1e-3);
    torch::optim::AdamW reference(groupsOf(a), opts);
    FusedAdamW fused(groupsOf(b), opts);
    const torch::Tensor pixels = torch::randn({6, 3, cfg.imageResolution, cfg.imageResolution});
    torch::Tensor tokens = torch::randint(1, 598, {6, 8}, torch::kLong);
    tokens.index_put_({torch::indexing::Slice(), 7}, 599); // end of text: the largest id
    auto step = [&](ClipModel &m, torch::optim::Optimizer &o) {
        o.zero_grad();
        auto loss = clipContrastiveLoss(m->encodeImage(pixels), m->encodeText(tokens), m->logitScale());
        loss.backward();
        o.step();
        return loss.item<double>();
    };
    const int64_t versionBefore = b->logit_scale._version();
    for (int i = 0; i < 4; ++i) {
        const double la = step(a, reference), lb = step(b, fused);
        QVERIFY2(std::abs(la - lb) < 1e-4, (std::to_string(la) + " vs " + std::to_string(lb)).c_str());
    }
    auto pb = b->named_parameters(true);
    for (auto &item : a->named_parameters(true)) {
        const double err = (item.value() - pb[item.key()]).abs().max().item<double>();
        QVERIFY2(err < 1e-5, (item.key() + ": " + std::to_string(err)).c_str());
    }
    QVERIFY2(b->logit_scale._version() > versionBefore, "the fused update must bump the parameters' version counters");
}

POISONLAB_TEST_MAIN(TestClipFusedAdamW)
#include "tst_clipfusedadamw.moc"
