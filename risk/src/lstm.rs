//! The sequence model: an LSTM over the window's months, its last hidden state through a linear
//! layer to the log-odds of an interruption within the horizon. Trained with Adam on binary
//! cross-entropy, on CPU (burn's `flex` backend). Initialisation and the order of mini-batches
//! come from the seed, so training is reproducible for a given seed and thread count.

use crate::dataset::{F, WINDOW};
use anyhow::{Context, Result};
use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::nn::{Linear, LinearConfig, Lstm, LstmConfig};
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{activation, Bytes, Device, Tensor, TensorData};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub const HIDDEN: usize = 32;

#[derive(Module, Debug)]
pub struct Net {
    lstm: Lstm,
    head: Linear,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainSettings {
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub seed: u64,
}

impl Net {
    pub fn new(device: &Device) -> Net {
        Net {
            lstm: LstmConfig::new(F, HIDDEN, true).init(device),
            head: LinearConfig::new(HIDDEN, 1).init(device),
        }
    }

    /// Log-odds for a batch `[batch, WINDOW, F]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<1> {
        let [b, _, _] = x.dims();
        let (_, state) = self.lstm.forward(x, None);
        self.head.forward(state.hidden).reshape([b])
    }
}

fn batch_tensor(xs: &[&[f32]], device: &Device) -> Tensor<3> {
    let mut flat = Vec::with_capacity(xs.len() * WINDOW * F);
    for x in xs {
        flat.extend_from_slice(x);
    }
    Tensor::from_data(TensorData::new(flat, [xs.len(), WINDOW, F]), device)
}

/// Trains a network; `progress` is called after each epoch with its mean loss.
pub fn train(
    xs: &[&[f32]],
    labels: &[bool],
    set: &TrainSettings,
    progress: &dyn Fn(usize, f64),
) -> Net {
    let device = Device::flex().autodiff();
    device.seed(set.seed);
    let mut net = Net::new(&device);
    let mut opt = AdamConfig::new().init();
    let mut order: Vec<usize> = (0..xs.len()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(set.seed);
    for epoch in 0..set.epochs {
        order.shuffle(&mut rng);
        let mut total = 0.0;
        let mut batches = 0usize;
        for chunk in order.chunks(set.batch) {
            let bx: Vec<&[f32]> = chunk.iter().map(|&i| xs[i]).collect();
            let y: Vec<f32> = chunk
                .iter()
                .map(|&i| f32::from(u8::from(labels[i])))
                .collect();
            let x = batch_tensor(&bx, &device);
            let y = Tensor::<1>::from_data(TensorData::new(y, [chunk.len()]), &device);
            let z = net.forward(x);
            // Binary cross-entropy on log-odds: softplus(z) − y z.
            let loss = (activation::softplus(z.clone(), 1.0) - z * y).mean();
            total += loss.clone().into_scalar::<f32>() as f64;
            batches += 1;
            let grads = GradientsParams::from_grads(loss.backward(), &net);
            net = opt.step(set.learning_rate, net, grads);
        }
        progress(epoch + 1, total / batches.max(1) as f64);
    }
    net
}

/// Probabilities for windows, in batches, without gradients.
pub fn predict(net: &Net, xs: &[&[f32]]) -> Vec<f64> {
    let device = Device::flex();
    let mut out = Vec::with_capacity(xs.len());
    for chunk in xs.chunks(4096) {
        let z = net.forward(batch_tensor(chunk, &device));
        let p = activation::sigmoid(z).into_data();
        let v: Vec<f32> = p.try_into_vec().unwrap_or_default();
        out.extend(v.into_iter().map(f64::from));
    }
    out
}

/// Gives the parameters ids 1, 2, … in module order: burn draws parameter ids from a
/// process-wide generator, and they are written into the weights file, which would otherwise
/// differ between two identical trainings.
struct Renumber(u64);

impl ModuleMapper for Renumber {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        self.0 += 1;
        let (_, value, _) = param.consume();
        Param::initialized(ParamId::from(self.0), value)
    }
}

/// The network's weights as burnpack bytes.
pub fn to_bytes(net: &Net) -> Result<Vec<u8>> {
    let bytes = net
        .clone()
        .map(&mut Renumber(0))
        .into_record()
        .into_bytes()
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("serialising the LSTM")?;
    Ok(bytes.to_vec())
}

/// A network (for inference) from burnpack bytes.
pub fn from_bytes(bytes: Vec<u8>) -> Result<Net> {
    let record = burn::store::ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes))
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("reading the LSTM weights")?;
    Net::new(&Device::flex())
        .try_load_record(record)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("loading the LSTM weights")
}
