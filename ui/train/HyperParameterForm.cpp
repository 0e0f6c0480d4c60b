#include "train/HyperParameterForm.h"

#include "poisonlab/core/train/ComputeDevices.h"
#include "poisonlab/core/train/TrainOptions.h"
#include "train/ScientificSpinBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardItemModel>

#include <algorithm>
#include <limits>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

QSpinBox *intBox(int min, int max, const QString &tip, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setToolTip(tip);
    return box;
}

// Sets combo `box` to the item whose data is `value`; adds "<value> (not available here)" when
// no item has it, so a document written on another machine keeps what it says.
void selectData(QComboBox *box, const QString &value)
{
    int index = box->findData(value);
    if (index < 0) {
        box->addItem(QObject::tr("%1 (not available here)").arg(value), value);
        index = box->count() - 1;
    }
    box->setCurrentIndex(index);
}

} // namespace

HyperParameterForm::HyperParameterForm(QWidget *parent) : QWidget(parent)
{
    m_epochs = intBox(1, 100000, tr("Passes over the training pairs (the paper: 10)"), this);
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_batch = intBox(2, 65536,
                     tr("Pairs per step; CLIP's loss contrasts each pair with the rest of its batch "
                        "(the paper: 128). Lower it when the device runs out of memory."),
                     this);
    m_batch->setObjectName(QStringLiteral("batchSize"));
    m_lr = new ScientificSpinBox(this);
    m_lr->setObjectName(QStringLiteral("learningRate"));
    m_lr->setToolTip(tr("Peak AdamW learning rate, reached after the warm-up, then a cosine decay "
                        "(the paper: 1e-5)"));
    m_warmup =
        intBox(0, std::numeric_limits<int>::max(), tr("Steps of linear warm-up to the peak learning rate"), this);
    m_warmup->setObjectName(QStringLiteral("warmupSteps"));
    m_decay = new QDoubleSpinBox(this);
    m_decay->setObjectName(QStringLiteral("weightDecay"));
    m_decay->setRange(0, 10);
    m_decay->setDecimals(4);
    m_decay->setSingleStep(0.05);
    m_decay->setToolTip(tr("AdamW's decoupled weight decay on weight matrices (the paper: 0.2)"));
    m_freeze = new QComboBox(this);
    m_freeze->setObjectName(QStringLiteral("freeze"));
    m_freeze->addItem(tr("None: train both towers"), QStringLiteral("none"));
    m_freeze->addItem(tr("Image tower"), QStringLiteral("image"));
    m_freeze->addItem(tr("Text tower"), QStringLiteral("text"));
    m_freeze->setToolTip(tr("A tower whose weights stay fixed during fine-tuning"));
    m_seed = intBox(0, std::numeric_limits<int>::max(), tr("Seeds the data order and the initialisation"), this);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_everyEpoch = new QCheckBox(tr("Evaluate after every epoch"), this);
    m_everyEpoch->setObjectName(QStringLiteral("everyEpoch"));
    m_everyEpoch->setToolTip(tr("Measures Hit@K of each goal and the retrieval R@K after each epoch "
                                "(charts below); costs one evaluation per epoch"));
    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("device"));
    for (const train::ComputeDevice &dev : train::availableDevices())
        m_device->addItem(QString::fromStdString(dev.name + (dev.isCuda() ? " (" + dev.id + ")" : "")),
                          QString::fromStdString(dev.id));
    m_device->setToolTip(tr("Where the model trains: the CPU or a CUDA device LibTorch reports"));
    m_precision = new QComboBox(this);
    m_precision->setObjectName(QStringLiteral("precision"));
    m_precision->addItem(tr("float32"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bfloat16 (mixed)"), QStringLiteral("bf16"));
    m_precision->addItem(tr("float16 (mixed)"), QStringLiteral("fp16"));

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("Batch size:"), m_batch);
    form->addRow(tr("Learning rate:"), m_lr);
    form->addRow(tr("Warm-up steps:"), m_warmup);
    form->addRow(tr("Weight decay:"), m_decay);
    form->addRow(tr("Freeze:"), m_freeze);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("Precision:"), m_precision);
    form->addRow(QString(), m_everyEpoch);

    for (QSpinBox *box : {m_epochs, m_batch, m_warmup, m_seed})
        connect(box, &QSpinBox::valueChanged, this, &HyperParameterForm::changed);
    for (QDoubleSpinBox *box : {static_cast<QDoubleSpinBox *>(m_lr), m_decay})
        connect(box, &QDoubleSpinBox::valueChanged, this, &HyperParameterForm::changed);
    for (QComboBox *box : {m_freeze, m_device, m_precision})
        connect(box, &QComboBox::currentIndexChanged, this, &HyperParameterForm::changed);
    connect(m_everyEpoch, &QCheckBox::toggled, this, &HyperParameterForm::changed);
    load(json::object(), true, 0);
}

void HyperParameterForm::load(const json &training, bool everyEpoch, std::uint64_t docSeed)
{
    m_loading = true;
    m_loaded = training.is_object() ? training : json::object();
    m_docSeed = docSeed;
    train::TrainOptions o;
    try {
        o = train::TrainOptions::fromJson(m_loaded);
    } catch (const std::exception &) {
        // A section core rejects keeps the defaults here; Start reports it with the file.
    }
    m_epochs->setValue(o.epochs);
    m_batch->setValue(o.batchSize);
    m_lr->setValue(o.learningRate);
    m_warmup->setValue(int(o.warmupSteps));
    m_decay->setValue(o.weightDecay);
    m_freeze->setCurrentIndex(m_freeze->findData(QString::fromStdString(train::freezeTowerName(o.freeze))));
    m_seed->setValue(int(m_loaded.contains("seed") ? o.seed : docSeed));
    m_everyEpoch->setChecked(everyEpoch);
    selectData(m_device, QString::fromStdString(o.device == "cuda" ? "cuda:0" : o.device));
    m_precision->setCurrentIndex(m_precision->findData(QString::fromStdString(train::precisionName(o.precision))));
    updatePrecision();
    m_loading = false;
}

json HyperParameterForm::training() const
{
    const train::TrainOptions d;
    json t = m_loaded;
    auto put = [&t](const char *key, const json &value, const json &fallback) {
        if (value == fallback)
            t.erase(key);
        else
            t[key] = value;
    };
    put("epochs", m_epochs->value(), d.epochs);
    put("batchSize", m_batch->value(), d.batchSize);
    put("learningRate", m_lr->value(), d.learningRate);
    put("warmupSteps", m_warmup->value(), d.warmupSteps);
    put("weightDecay", m_decay->value(), d.weightDecay);
    put("freeze", m_freeze->currentData().toString().toStdString(), train::freezeTowerName(d.freeze));
    put("seed", std::uint64_t(m_seed->value()), m_docSeed); // the document's seed drives training otherwise
    put("device", device().toStdString(), d.device);
    const std::string precision =
        m_precision->isEnabled() ? m_precision->currentData().toString().toStdString() : std::string("fp32");
    put("precision", precision, train::precisionName(d.precision));
    return t;
}

bool HyperParameterForm::everyEpoch() const
{
    return m_everyEpoch->isChecked();
}

QString HyperParameterForm::device() const
{
    return m_device->currentData().toString();
}

void HyperParameterForm::updatePrecision()
{
    // What this device runs, as the trainer checks it (bf16 on a CPU with AVX512-BF16/AMX, fp16 on CUDA).
    const std::string dev = device().toStdString();
    const std::vector<std::string> supported = train::supportedPrecisions(dev, train::cpuFlags());
    auto *items = qobject_cast<QStandardItemModel *>(m_precision->model());
    QStringList offered;
    for (int i = 0; i < m_precision->count(); ++i) {
        const std::string id = m_precision->itemData(i).toString().toStdString();
        const bool runs = std::find(supported.begin(), supported.end(), id) != supported.end();
        if (items)
            items->item(i)->setEnabled(runs);
        if (runs)
            offered << m_precision->itemText(i);
        else if (m_precision->currentIndex() == i)
            m_precision->setCurrentIndex(0);
    }
    m_precision->setEnabled(supported.size() > 1);
    QString tip = tr("Mixed precision (autocast) runs the matrix products in bfloat16 or float16 while the weights "
                     "stay float32: faster, less memory. %1 runs: %2.")
                      .arg(device(), offered.join(QStringLiteral(", ")));
    if (const auto problem = train::precisionProblem("bf16", dev, train::cpuFlags()))
        tip += QLatin1Char(' ') + tr("No bfloat16 here: %1.").arg(QString::fromStdString(*problem));
    m_precision->setToolTip(tip);
}

void HyperParameterForm::changed()
{
    if (m_loading)
        return;
    {
        const QSignalBlocker block(m_precision);
        updatePrecision();
    }
    Q_EMIT edited();
}

} // namespace poisonlab::ui
