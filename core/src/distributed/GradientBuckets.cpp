#include "poisonlab/core/distributed/GradientBuckets.h"

#include "poisonlab/core/Error.h"

#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/torch.h>

#include <mutex>

namespace poisonlab::distributed {

struct GradientBuckets::State {
    struct Slot {
        torch::Tensor parameter;
        std::size_t bucket = 0;
        std::int64_t offset = 0; // in the bucket's flat buffer
        bool ready = false;
    };
    struct Bucket {
        torch::Tensor flat;
        std::vector<std::size_t> slots;
        std::size_t pending = 0; // slots not ready yet in this pass
        c10::intrusive_ptr<c10d::Work> work;
    };

    std::shared_ptr<DistributedGroup> group;
    std::vector<Slot> slots;
    std::vector<Bucket> buckets;
    // The accumulators hold the hooks; keeping them alive keeps one accumulator per parameter.
    std::vector<std::shared_ptr<torch::autograd::Node>> accumulators;
    std::vector<std::uintptr_t> hookKeys;
    std::mutex mutex; // the autograd engine may call hooks from its device threads
    std::size_t nextLaunch = 0;
    bool armed = false;

    void launchReadyBuckets()
    {
        // Buckets start in index order on every rank, whatever order they fill in, so the ranks'
        // collectives always pair up.
        while (nextLaunch < buckets.size() && buckets[nextLaunch].pending == 0) {
            Bucket &b = buckets[nextLaunch++];
            b.work = group->allReduceSumAsync(b.flat);
        }
    }

    /// Hooks each parameter's current gradient accumulator. Loading weights into a parameter
    /// (a checkpoint on resume) gives it a new accumulator, so this runs before every backward
    /// pass and moves the hooks of parameters whose accumulator changed.
    void attachHooks(const std::shared_ptr<State> &self)
    {
        std::weak_ptr<State> weak = self;
        for (std::size_t i = 0; i < slots.size(); ++i) {
            auto accumulator = torch::autograd::impl::grad_accumulator(slots[i].parameter);
            if (accumulator == accumulators[i])
                continue;
            if (accumulators[i])
                accumulators[i]->del_post_hook(hookKeys[i]);
            hookKeys[i] = accumulator->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
                [weak, i](const torch::autograd::variable_list &outputs, const torch::autograd::variable_list &) {
                    if (auto state = weak.lock())
                        state->markReady(i);
                    return outputs;
                }));
            accumulators[i] = std::move(accumulator);
        }
    }

    void markReady(std::size_t index)
    {
        std::lock_guard lock(mutex);
        if (!armed)
            return;
        Slot &slot = slots[index];
        if (slot.ready)
            throw Error("internal: a parameter received two gradients in one backward pass; data-parallel training "
                        "needs each weight used once per step");
        slot.ready = true;
        Bucket &bucket = buckets[slot.bucket];
        const torch::Tensor &grad = slot.parameter.grad();
        bucket.flat.narrow(0, slot.offset, slot.parameter.numel()).copy_(grad.reshape(-1));
        --bucket.pending;
        launchReadyBuckets();
    }
};

GradientBuckets::GradientBuckets(std::vector<torch::Tensor> parameters, std::shared_ptr<DistributedGroup> group,
                                 std::int64_t bucketBytes)
    : m_state(std::make_shared<State>())
{
    State &s = *m_state;
    s.group = std::move(group);
    // Reverse order: the last layers' gradients arrive first in the backward pass.
    std::int64_t filled = bucketBytes; // start a bucket with the first parameter
    std::vector<std::int64_t> bucketElements;
    for (auto it = parameters.rbegin(); it != parameters.rend(); ++it) {
        const std::int64_t bytes = it->numel() * std::int64_t(it->element_size());
        if (filled >= bucketBytes) {
            s.buckets.emplace_back();
            bucketElements.push_back(0);
            filled = 0;
        }
        State::Slot slot;
        slot.parameter = *it;
        slot.bucket = s.buckets.size() - 1;
        slot.offset = bucketElements.back();
        bucketElements.back() += it->numel();
        filled += bytes;
        s.buckets.back().slots.push_back(s.slots.size());
        s.slots.push_back(std::move(slot));
    }
    for (std::size_t b = 0; b < s.buckets.size(); ++b)
        s.buckets[b].flat = torch::zeros({bucketElements[b]}, s.slots[s.buckets[b].slots.front()].parameter.options());
    s.accumulators.resize(s.slots.size());
    s.hookKeys.resize(s.slots.size());
    s.attachHooks(m_state);
}

GradientBuckets::~GradientBuckets()
{
    for (std::size_t i = 0; i < m_state->accumulators.size(); ++i)
        m_state->accumulators[i]->del_post_hook(m_state->hookKeys[i]);
}

void GradientBuckets::beginBackward()
{
    m_state->attachHooks(m_state);
    std::lock_guard lock(m_state->mutex);
    for (auto &slot : m_state->slots)
        slot.ready = false;
    for (auto &bucket : m_state->buckets) {
        bucket.pending = bucket.slots.size();
        bucket.work.reset();
    }
    m_state->nextLaunch = 0;
    m_state->armed = true;
}

void GradientBuckets::finishBackward()
{
    State &s = *m_state;
    {
        std::lock_guard lock(s.mutex);
        // A parameter the step did not reach contributes zeros, so every rank still reduces
        // every bucket.
        for (auto &slot : s.slots)
            if (!slot.ready) {
                State::Bucket &bucket = s.buckets[slot.bucket];
                bucket.flat.narrow(0, slot.offset, slot.parameter.numel()).zero_();
                slot.ready = true;
                --bucket.pending;
            }
        s.launchReadyBuckets();
        s.armed = false;
    }
    const double world = double(s.group->size());
    torch::NoGradGuard noGrad;
    for (auto &bucket : s.buckets) {
        bucket.work->wait();
        bucket.flat.div_(world);
        for (std::size_t index : bucket.slots) {
            State::Slot &slot = s.slots[index];
            const torch::Tensor average = bucket.flat.narrow(0, slot.offset, slot.parameter.numel());
            if (!slot.parameter.grad().defined())
                slot.parameter.mutable_grad() = torch::zeros_like(slot.parameter);
            slot.parameter.mutable_grad().copy_(average.view(slot.parameter.sizes()));
        }
    }
}

std::size_t GradientBuckets::bucketCount() const
{
    return m_state->buckets.size();
}

} // namespace poisonlab::distributed
