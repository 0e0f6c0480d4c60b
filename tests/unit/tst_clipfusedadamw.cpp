// FusedAdamW computes torch::optim::AdamW's update (same state, same arithmetic) in one pass.
#include "TestSupport.h"

#include "poisonlab/core/clip/FusedAdamW.h"

using namespace poisonlab::clip;

class TestClipFusedAdamW : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTorchAdamW_data();
    void matchesTorchAdamW();
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

POISONLAB_TEST_MAIN(TestClipFusedAdamW)
#include "tst_clipfusedadamw.moc"
