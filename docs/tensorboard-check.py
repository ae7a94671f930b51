# By hand, not a CI test (docs/tracking.md): read a run folder with TensorBoard's own EventAccumulator and print what it found.
# /tmp/tbvenv/bin/python docs/tensorboard-check.py RUN_FOLDER
import sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
acc = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
acc.Reload()
tags = acc.Tags()
print("scalars:", len(tags["scalars"]), sorted(tags["scalars"])[:6])
print("histograms:", len(tags["histograms"]), sorted(tags["histograms"])[:3])
print("tensors:", tags["tensors"])
loss = acc.Scalars("train/loss")
print("train/loss steps:", [e.step for e in loss])
print("train/loss first:", loss[0].step, round(loss[0].value, 4), "wall", loss[0].wall_time)
print("eval/val_loss:", [(e.step, round(e.value, 4)) for e in acc.Scalars("eval/val_loss")])
if tags["histograms"]:
    h = acc.Histograms(tags["histograms"][0])[-1]
    print("histogram", tags["histograms"][0], "step", h.step, "num", h.histogram_value.num, "buckets", len(h.histogram_value.bucket))
