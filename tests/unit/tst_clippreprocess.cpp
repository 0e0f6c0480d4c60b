// CLIP pre-processing: resize of the shorter side + centre crop as torchvision/PIL, CLIP's
// normalisation, and an image already at the model's size passing unchanged.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipPreprocess.h"

#include <opencv2/core.hpp>

using namespace poisonlab;
using namespace poisonlab::clip;

class TestClipPreprocess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exactSizePassesUnchanged();
    void resizesShorterSideThenCrops_data();
    void resizesShorterSideThenCrops();
    void constantImageStaysConstant();
    void bicubicOvershootIsClamped();
    void normalisesWithClipMeanAndStd();
    void batchEqualsSingle();
    void unreadableImageNamesFile();
};

void TestClipPreprocess::exactSizePassesUnchanged()
{
    cv::Mat img(8, 8, CV_8UC3);
    cv::randu(img, 0, 256);
    const cv::Mat out = resizeAndCenterCrop(img, 8);
    QCOMPARE(cv::norm(img, out, cv::NORM_INF), 0.0);
}

void TestClipPreprocess::resizesShorterSideThenCrops_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("landscape") << 40 << 20;
    QTest::newRow("portrait") << 13 << 31;
    QTest::newRow("upscale") << 5 << 7;
    QTest::newRow("short side already right") << 24 << 10;
}

void TestClipPreprocess::resizesShorterSideThenCrops()
{
    QFETCH(int, width);
    QFETCH(int, height);
    cv::Mat img(height, width, CV_8UC3);
    cv::randu(img, 0, 256);
    const cv::Mat out = resizeAndCenterCrop(img, 10);
    QCOMPARE(out.rows, 10);
    QCOMPARE(out.cols, 10);
    QCOMPARE(out.type(), CV_8UC3);
    if (height == 10) { // no resampling: the crop is the centre columns, round((24 - 10) / 2) = 7
        QCOMPARE(cv::norm(out, img(cv::Rect(7, 0, 10, 10)), cv::NORM_INF), 0.0);
    }
}

void TestClipPreprocess::constantImageStaysConstant()
{
    // PIL's normalised fixed-point weights sum to one: a flat image stays exactly flat.
    const cv::Mat img(37, 53, CV_8UC3, cv::Scalar(10, 128, 250));
    const cv::Mat out = resizeAndCenterCrop(img, 16);
    QCOMPARE(cv::norm(out, cv::Mat(16, 16, CV_8UC3, cv::Scalar(10, 128, 250)), cv::NORM_INF), 0.0);
}

void TestClipPreprocess::bicubicOvershootIsClamped()
{
    // A hard black/white edge rings under a bicubic kernel; values stay within 0..255 and the
    // edge stays in place.
    cv::Mat img(20, 20, CV_8UC3, cv::Scalar(0, 0, 0));
    img(cv::Rect(10, 0, 10, 20)).setTo(cv::Scalar(255, 255, 255));
    const cv::Mat out = resizeAndCenterCrop(img, 7);
    QCOMPARE(out.at<cv::Vec3b>(3, 0)[0], uchar(0));
    QCOMPARE(out.at<cv::Vec3b>(3, 6)[0], uchar(255));
}

void TestClipPreprocess::normalisesWithClipMeanAndStd()
{
    cv::Mat img(2, 2, CV_8UC3, cv::Scalar(255, 0, 51));
    const torch::Tensor t = normalizeToTensor(img);
    QVERIFY(t.sizes() == torch::IntArrayRef({3, 2, 2}));
    QVERIFY(std::abs(t[0][1][1].item<float>() - (1.0f - kClipMean[0]) / kClipStd[0]) < 1e-6f);
    QVERIFY(std::abs(t[1][0][0].item<float>() - (0.0f - kClipMean[1]) / kClipStd[1]) < 1e-6f);
    QVERIFY(std::abs(t[2][0][1].item<float>() - (0.2f - kClipMean[2]) / kClipStd[2]) < 1e-6f);
}

void TestClipPreprocess::batchEqualsSingle()
{
    cv::Mat a(4, 4, CV_8UC3), b(4, 4, CV_8UC3);
    cv::randu(a, 0, 256);
    cv::randu(b, 0, 256);
    torch::Tensor nhwc = torch::stack(
        {torch::from_blob(a.data, {4, 4, 3}, torch::kUInt8), torch::from_blob(b.data, {4, 4, 3}, torch::kUInt8)});
    const torch::Tensor batch = normalizeBatch(nhwc);
    QVERIFY(torch::equal(batch[0], normalizeToTensor(a)));
    QVERIFY(torch::equal(batch[1], normalizeToTensor(b)));
}

void TestClipPreprocess::unreadableImageNamesFile()
{
    test::TempDir dir;
    test::writeText(dir / "broken.png", "not a png");
    try {
        readRgbImage(dir / "broken.png");
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("broken.png") != std::string::npos, e.what());
    }
}

POISONLAB_TEST_MAIN(TestClipPreprocess)
#include "tst_clippreprocess.moc"
